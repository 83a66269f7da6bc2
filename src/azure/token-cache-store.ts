import type { SealedBox } from '../platform/crypto/sealed-box.ts';
import type { Db } from '../platform/db/connection.ts';

/**
 * Consultants' MSAL token caches (refresh tokens inside), one per account, sealed with AES-256-GCM. The
 * account key is bound into the ciphertext, so a cache moved to another row does not decrypt.
 */
export function createTokenCacheStore(deps: { db: Db; sealedBox: SealedBox; clock: { now(): Date } }) {
  const context = (accountKey: string) => `token-cache:${accountKey}`;
  return {
    async load(accountKey: string): Promise<string | undefined> {
      const row = await deps.db
        .selectFrom('token_caches')
        .select(['key_id', 'data'])
        .where('account_key', '=', accountKey)
        .executeTakeFirst();
      if (!row) return undefined;
      return deps.sealedBox.open({ keyId: row.key_id, data: row.data }, context(accountKey));
    },

    async save(accountKey: string, consultantId: string, cache: string): Promise<void> {
      if (!cache) return;
      const sealed = deps.sealedBox.seal(cache, context(accountKey));
      const now = deps.clock.now().toISOString();
      await deps.db
        .insertInto('token_caches')
        .values({
          account_key: accountKey,
          consultant_id: consultantId,
          key_id: sealed.keyId,
          data: sealed.data,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('account_key').doUpdateSet({
            consultant_id: consultantId,
            key_id: sealed.keyId,
            data: sealed.data,
            updated_at: now,
          }),
        )
        .execute();
    },
  };
}

export type TokenCacheStore = ReturnType<typeof createTokenCacheStore>;
