import { randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config/index.ts';
import type { TokenHasher } from '../platform/crypto/secret-tokens.ts';
import type { Db } from '../platform/db/connection.ts';
import { createLinkTokens } from './link-token.ts';
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

export interface IssueInput {
  consultantId: string;
  tenantId?: string | null;
  batchId?: string | null;
}

export interface InvitationDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publicBaseUrl' | 'invitationTtlDays' | 'tokenEncryptionKeys'>;
  tokenHasher: TokenHasher;
}

/** Invitation links: issue, look up, complete. A token is 256 random bits; only its hash is kept. */
export function createInvitationService(deps: InvitationDeps) {
  const store = createInvitationStore(deps.db);
  const linkTokens = createLinkTokens(deps.config.tokenEncryptionKeys);
  const urlOf = (token: string) => `${deps.config.publicBaseUrl}/i/${token}`;
  const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

  /**
   * Issues links for many consultants: one insert and one update per slice rather than two statements
   * per link (bulk sends issue a chunk of a batch at once). Same outcome as calling `issue` for each
   * in turn: a consultant listed twice keeps only the later link.
   */
  async function issueMany(inputs: IssueInput[], executor?: Db): Promise<IssuedInvitation[]> {
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + deps.config.invitationTtlDays * DAY_MS).toISOString();
    const issued = inputs.map((input) => {
      const id = randomUUID();
      return { input, id, token: linkTokens.tokenFor(id, linkTokens.currentKeyId)! };
    });
    const write = async (trx: Db) => {
      const scoped = createInvitationStore(trx);
      // Slices keep each statement well under SQLite's limit on bound parameters.
      for (let i = 0; i < issued.length; i += 200) {
        const slice = issued.slice(i, i + 200);
        await scoped.insert(
          slice.map(({ input, id, token }) => ({
            id,
            consultant_id: input.consultantId,
            tenant_id: input.tenantId?.toLowerCase() ?? null,
            token_hash: deps.tokenHasher.hash(token),
            state: 'open' as const,
            batch_id: input.batchId ?? null,
            created_at: now.toISOString(),
            expires_at: expiresAt,
            claimed_at: null,
            completed_at: null,
            last_sent_at: null,
            token_key_id: linkTokens.currentKeyId,
          })),
        );
        const latest = new Map(slice.map(({ input, id }) => [input.consultantId, id]));
        await scoped.supersedeOpenExcept([...latest.keys()], [...latest.values()]);
      }
    };
    if (executor) await write(executor);
    else await deps.db.transaction().execute(write);
    return issued.map(({ input, id, token }) => ({
      id,
      consultantId: input.consultantId,
      tenantId: input.tenantId ?? null,
      url: urlOf(token),
      expiresAt,
    }));
  }

  return {
    store,

    /** Issues a new link for the consultant; their older open links stop working. */
    /** Inside `executor`'s transaction when given (bulk sends issue and enqueue together). */
    async issue(input: IssueInput, executor?: Db): Promise<IssuedInvitation> {
      return (await issueMany([input], executor))[0]!;
    },

    issueMany,

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

    /** The link of an invitation, rebuilt for a mail; undefined if its key was retired. */
    urlFor(invitation: Pick<InvitationRow, 'id' | 'token_key_id'>): string | undefined {
      const token = invitation.token_key_id
        ? linkTokens.tokenFor(invitation.id, invitation.token_key_id)
        : undefined;
      return token ? urlOf(token) : undefined;
    },

    complete: (id: string) => store.complete(id, deps.clock.now()),

    /**
     * After a pass of linking: records which tenants still need the consultant and completes the
     * invitation when none do. A pass over every tenant replaces the list; a pass over some (a decision
     * about one tenant, a sign-in to one directory) changes only theirs, so the others stay waiting.
     * Returns whether this call completed the invitation.
     */
    async settle(id: string, pass: { covered: string[] | 'all'; open: string[] }): Promise<boolean> {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const row = await store.findById(id);
        if (!row) return false;
        const before: string[] = row.open_tenants ? (JSON.parse(row.open_tenants) as string[]) : [];
        const covered = pass.covered;
        const kept = covered === 'all' ? [] : before.filter((tenant) => !covered.includes(tenant));
        const next = [...new Set([...kept, ...pass.open])].sort();
        if (!(await store.swapOpenTenants(id, row.open_tenants, JSON.stringify(next)))) continue;
        return next.length === 0 && store.complete(id, deps.clock.now());
      }
      throw new Error(`invitation ${id}: its open tenants kept changing under this pass`);
    },
    markClaimed: (id: string) => store.markClaimed(id, deps.clock.now()),
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
