import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import { claimBrowserBound } from '../platform/crypto/browser-bound.ts';
import type { SealedBox } from '../platform/crypto/sealed-box.ts';
import type { TokenHasher } from '../platform/crypto/secret-tokens.ts';
import type { Db } from '../platform/db/connection.ts';

/** A sign-in must come back within this long; Microsoft's own pages rarely take a minute. */
const ATTEMPT_TTL_MS = 15 * 60_000;
/** After sign-in, the consultant may still confirm replacing another partner's ID for this long. */
export const DECISION_WINDOW_MS = 30 * 60_000;

export interface NewAttempt {
  id: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  /** Goes into the short-lived cookie; the callback must present it. */
  browserSecret: string;
}

export interface AttemptSecrets {
  codeVerifier: string;
  nonce: string;
}

const random = () => randomBytes(32).toString('base64url');
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * Sign-in attempts bind three things together: the invitation, the browser that pressed Continue (a
 * cookie) and the OAuth round trip (state, PKCE verifier, nonce). Only hashes of the state and the
 * cookie value are stored; the verifier and nonce are sealed.
 */
export function createAttemptStore(deps: {
  db: Db;
  clock: Clock;
  tokenHasher: TokenHasher;
  sealedBox: SealedBox;
}) {
  const secretsContext = (id: string) => `auth-attempt:${id}`;
  return {
    async create(invitationId: string, authority: string): Promise<NewAttempt> {
      const now = deps.clock.now();
      const attempt = { id: randomUUID(), state: random(), nonce: random(), browserSecret: random() };
      const codeVerifier = random();
      const sealed = deps.sealedBox.seal(
        JSON.stringify({ codeVerifier, nonce: attempt.nonce } satisfies AttemptSecrets),
        secretsContext(attempt.id),
      );
      await deps.db
        .insertInto('auth_attempts')
        .values({
          id: attempt.id,
          state_hash: deps.tokenHasher.hash(attempt.state),
          invitation_id: invitationId,
          browser_hash: deps.tokenHasher.hash(attempt.browserSecret),
          authority,
          key_id: sealed.keyId,
          secrets: sealed.data,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + ATTEMPT_TTL_MS).toISOString(),
          used_at: null,
        })
        .execute();
      return { ...attempt, codeChallenge: challengeOf(codeVerifier) };
    },

    /**
     * Finds the attempt for a callback's `state` and claims it in one statement, so a replayed callback
     * finds it used. The browser check comes first: a forged callback must not burn a real attempt.
     */
    async consume(
      state: string,
      browserSecret: string | undefined,
    ): Promise<
      | { ok: true; id: string; invitationId: string; authority: string; secrets: AttemptSecrets }
      | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'other_browser' }
    > {
      const row = await deps.db
        .selectFrom('auth_attempts')
        .selectAll()
        .where('state_hash', 'in', deps.tokenHasher.candidates(state))
        .executeTakeFirst();
      const claimed = await claimBrowserBound(row, browserSecret, deps, async (id, at) => {
        const result = await deps.db
          .updateTable('auth_attempts')
          .set({ used_at: at })
          .where('id', '=', id)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      });
      if (!claimed.ok) return claimed;
      const used = claimed.row;
      const secrets = deps.sealedBox.open(
        { keyId: used.key_id, data: used.secrets },
        secretsContext(used.id),
      );
      if (!secrets) return { ok: false, reason: 'unknown' };
      return {
        ok: true,
        id: used.id,
        invitationId: used.invitation_id,
        authority: used.authority,
        secrets: JSON.parse(secrets),
      };
    },

    /** For the follow-up decision after sign-in: the same browser, a completed attempt, recently. */
    async findForDecision(id: string, browserSecret: string | undefined) {
      const row = await deps.db
        .selectFrom('auth_attempts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row?.used_at || !browserSecret) return undefined;
      if (!deps.tokenHasher.candidates(browserSecret).includes(row.browser_hash)) return undefined;
      if (new Date(row.used_at).getTime() + DECISION_WINDOW_MS < deps.clock.now().getTime()) return undefined;
      return { id: row.id, invitationId: row.invitation_id };
    },
  };
}

export type AttemptStore = ReturnType<typeof createAttemptStore>;
