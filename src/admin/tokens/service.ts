import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditLog } from '../../audit/service.ts';
import type { Deps } from '../../deps.ts';
import { newSecretToken } from '../../platform/crypto/secret-tokens.ts';
import { notFound } from '../../platform/errors.ts';
import { type ApiTokenRow, createApiTokenStore } from './store.ts';

export type ApiTokenDeps = Pick<Deps, 'db' | 'clock' | 'tokenHasher'> & { audit: AuditLog };

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The identity an API token stands for once it is recognised. */
export interface TokenHolder {
  id: string;
  name: string;
}

const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `pal_` makes a leaked token recognisable to secret scanners and to our own audit guard. */
export const API_TOKEN_PREFIX = 'pal_';

/** Writing `last_used_at` on every request would turn every read into a write; once a minute is enough to see use. */
const TOUCH_INTERVAL_MS = 60_000;

export function createApiTokenService(deps: ApiTokenDeps) {
  const store = createApiTokenStore(deps.db);

  return {
    /** Issues a token. Its value is returned here and never again: only its hash is kept. */
    async create(name: string, ctx: AuditContext) {
      const token = newSecretToken(API_TOKEN_PREFIX);
      const createdAt = deps.clock.now().toISOString();
      const id = randomUUID();
      await deps.db.transaction().execute(async (trx) => {
        await createApiTokenStore(trx).insert({
          id,
          name,
          token_hash: deps.tokenHasher.hash(token),
          created_by: ctx.actor,
          created_at: createdAt,
          last_used_at: null,
          revoked_at: null,
        });
        await deps.audit.record(
          { ...ctx, action: 'api_token.created', subjectType: 'api_token', subjectId: id, detail: { name } },
          trx,
        );
      });
      return { id, name, token, createdAt };
    },

    async list(): Promise<ApiToken[]> {
      return (await store.list()).map(toApiToken);
    },

    /** Revokes a token; revoking one that already is changes nothing and is not audited again. */
    async revoke(id: string, ctx: AuditContext): Promise<ApiToken> {
      return deps.db.transaction().execute(async (trx) => {
        const tokens = createApiTokenStore(trx);
        // Token IDs are UUIDs; anything else (a NUL byte included, which PostgreSQL refuses in text) is unknown.
        if (!TOKEN_ID.test(id) || !(await tokens.findById(id))) throw notFound('No API token with this ID');
        if (await tokens.revoke(id, deps.clock.now().toISOString())) {
          await deps.audit.record(
            { ...ctx, action: 'api_token.revoked', subjectType: 'api_token', subjectId: id },
            trx,
          );
        }
        return toApiToken((await tokens.findById(id))!);
      });
    },

    /** Who a presented token belongs to, or undefined when it is unknown or revoked. */
    async authenticate(token: string): Promise<TokenHolder | undefined> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
      const row = await store.findActiveByHashes(deps.tokenHasher.candidates(token));
      if (!row) return undefined;
      const now = deps.clock.now();
      if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= TOUCH_INTERVAL_MS) {
        await store.touch(row.id, now.toISOString());
      }
      return { id: row.id, name: row.name };
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
