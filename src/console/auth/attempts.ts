import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { claimBrowserBound } from '../../platform/crypto/browser-bound.ts';
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
      const claimed = await claimBrowserBound(row, browserSecret, deps, async (id, at) => {
        const result = await deps.db
          .updateTable('console_sign_ins')
          .set({ used_at: at })
          .where('id', '=', id)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      });
      if (!claimed.ok) return claimed;
      const opened = deps.sealedBox.open(
        { keyId: claimed.row.key_id, data: claimed.row.secrets },
        context(claimed.row.id),
      );
      if (!opened) return { ok: false, reason: 'unknown' };
      const secrets = JSON.parse(opened) as { codeVerifier: string; nonce: string };
      return { ok: true, returnTo: claimed.row.return_to, ...secrets };
    },
  };
}

export type ConsoleSignIns = ReturnType<typeof createConsoleSignIns>;
