import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { SealedBox } from '../../platform/crypto/sealed-box.ts';
import type { TokenHasher } from '../../platform/crypto/secret-tokens.ts';
import type { Db } from '../../platform/db/connection.ts';

/** The round trip to Microsoft must come back within this long. */
export const SIGN_IN_TTL_MS = 15 * 60_000;

const random = () => randomBytes(32).toString('base64url');
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export type ClaimedSignIn =
  | { ok: true; returnTo: string; codeVerifier: string; nonce: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'other_browser' };

/**
 * Console sign-in attempts, as the consultants' `onboarding/attempts.ts` does it: the OAuth `state`,
 * the PKCE verifier and the nonce are bound to the browser that started (a short-lived cookie). Only
 * hashes of the state and the cookie value are stored; the verifier and nonce are sealed.
 */
export function createConsoleSignIns(deps: {
  db: Db;
  clock: Clock;
  tokenHasher: TokenHasher;
  sealedBox: SealedBox;
}) {
  const context = (id: string) => `console-sign-in:${id}`;

  return {
    async create(returnTo: string) {
      const now = deps.clock.now();
      const id = randomUUID();
      const state = random();
      const nonce = random();
      const browserSecret = random();
      const codeVerifier = random();
      const sealed = deps.sealedBox.seal(JSON.stringify({ codeVerifier, nonce }), context(id));
      // Abandoned attempts (the admin closed the tab at Microsoft) go when the next one starts.
      await deps.db.deleteFrom('console_sign_ins').where('expires_at', '<=', now.toISOString()).execute();
      await deps.db
        .insertInto('console_sign_ins')
        .values({
          id,
          state_hash: deps.tokenHasher.hash(state),
          browser_hash: deps.tokenHasher.hash(browserSecret),
          key_id: sealed.keyId,
          secrets: sealed.data,
          return_to: returnTo,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + SIGN_IN_TTL_MS).toISOString(),
          used_at: null,
        })
        .execute();
      return { state, nonce, browserSecret, codeChallenge: challengeOf(codeVerifier) };
    },

    /**
     * Claims the attempt of a callback's `state`, once. The browser check comes first, so a forged
     * callback from another browser cannot burn a real attempt.
     */
    async claim(state: string, browserSecret: string | undefined): Promise<ClaimedSignIn> {
      const row = await deps.db
        .selectFrom('console_sign_ins')
        .selectAll()
        .where('state_hash', 'in', deps.tokenHasher.candidates(state))
        .executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      if (!browserSecret || !deps.tokenHasher.candidates(browserSecret).includes(row.browser_hash)) {
        return { ok: false, reason: 'other_browser' };
      }
      const now = deps.clock.now().toISOString();
      if (row.used_at) return { ok: false, reason: 'used' };
      if (row.expires_at <= now) return { ok: false, reason: 'expired' };
      const claimed = await deps.db
        .updateTable('console_sign_ins')
        .set({ used_at: now })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
      const opened = deps.sealedBox.open({ keyId: row.key_id, data: row.secrets }, context(row.id));
      if (!opened) return { ok: false, reason: 'unknown' };
      const secrets = JSON.parse(opened) as { codeVerifier: string; nonce: string };
      return { ok: true, returnTo: row.return_to, ...secrets };
    },
  };
}

export type ConsoleSignIns = ReturnType<typeof createConsoleSignIns>;
