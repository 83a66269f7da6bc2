import { randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config/index.ts';
import { newSecretToken, type TokenHasher } from '../platform/crypto/secret-tokens.ts';
import type { Db } from '../platform/db/connection.ts';
import { createInvitationStore, type InvitationRow } from './store.ts';

const DAY_MS = 86_400_000;

export interface IssuedInvitation {
  id: string;
  consultantId: string;
  tenantId: string | null;
  /** The only time the link exists in clear: returned to the admin or put in one mail. */
  url: string;
  expiresAt: string;
}

/** What a token in a URL turned out to be. Unknown and tampered tokens look the same. */
export type TokenLookup =
  | { status: 'open'; invitation: InvitationRow }
  | { status: 'expired' | 'completed' | 'superseded' | 'revoked'; invitation: InvitationRow }
  | { status: 'unknown' };

export interface InvitationDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publicBaseUrl' | 'invitationTtlDays'>;
  tokenHasher: TokenHasher;
}

/** Invitation links: issue, look up, complete. A token is 256 random bits; only its hash is kept. */
export function createInvitationService(deps: InvitationDeps) {
  const store = createInvitationStore(deps.db);
  const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

  return {
    store,

    /** Issues a new link for the consultant; their older open links stop working. */
    async issue(input: {
      consultantId: string;
      tenantId?: string | null;
      batchId?: string | null;
    }): Promise<IssuedInvitation> {
      const now = deps.clock.now();
      const token = newSecretToken();
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + deps.config.invitationTtlDays * DAY_MS).toISOString();
      await deps.db.transaction().execute(async (trx) => {
        const scoped = createInvitationStore(trx);
        await scoped.insert({
          id,
          consultant_id: input.consultantId,
          tenant_id: input.tenantId?.toLowerCase() ?? null,
          token_hash: deps.tokenHasher.hash(token),
          state: 'open',
          batch_id: input.batchId ?? null,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          claimed_at: null,
          completed_at: null,
          last_sent_at: null,
        });
        await scoped.supersedeOpen(input.consultantId, id);
      });
      return {
        id,
        consultantId: input.consultantId,
        tenantId: input.tenantId ?? null,
        url: `${deps.config.publicBaseUrl}/i/${token}`,
        expiresAt,
      };
    },

    async lookup(token: string): Promise<TokenLookup> {
      // A malformed token cannot match; skip the query but keep the answer identical.
      if (!TOKEN_SHAPE.test(token)) return { status: 'unknown' };
      const invitation = await store.findByTokenHashes(deps.tokenHasher.candidates(token));
      if (!invitation) return { status: 'unknown' };
      if (invitation.state !== 'open') return { status: invitation.state, invitation };
      if (invitation.expires_at <= deps.clock.now().toISOString()) return { status: 'expired', invitation };
      return { status: 'open', invitation };
    },

    /** Whether the invitation is still open and unexpired (checked again at the callback). */
    async isOpen(id: string): Promise<InvitationRow | undefined> {
      const invitation = await store.findById(id);
      if (invitation?.state !== 'open') return undefined;
      return invitation.expires_at > deps.clock.now().toISOString() ? invitation : undefined;
    },

    complete: (id: string) => store.complete(id, deps.clock.now()),
    markClaimed: (id: string) => store.markClaimed(id, deps.clock.now()),
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
