import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, safeEqual, type TokenHasher } from '../../platform/crypto/secret-tokens.ts';
import type { Db } from '../../platform/db/connection.ts';
import type { Row } from '../../platform/db/tables.ts';

/** A session ends after this long without a request… */
export const IDLE_TIMEOUT_MS = 8 * 3_600_000;
/** …and this long after sign-in, however busy. */
export const ABSOLUTE_LIFETIME_MS = 7 * 86_400_000;
/** Writing `last_seen_at` on every page view would turn every read into a write; a minute is precise enough. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SignedInAdmin {
  email: string;
  name: string | null;
  tenantId: string;
  objectId: string;
  allowedBy: Row<'console_sessions'>['allowed_by'];
}

/** The admin behind a request, with the secrets their pages need. */
export interface ConsoleSession extends SignedInAdmin {
  /** The session ID from the cookie (never stored: the table holds its hash). */
  id: string;
  /** The synchronizer token every form of this session carries. */
  csrfToken: string;
}

export interface ConsoleSessionDeps {
  db: Db;
  clock: Clock;
  tokenHasher: TokenHasher;
}

/**
 * Console sessions in the database, so they survive restarts and work across instances. The ID is 256
 * random bits held only by the browser; a stolen database alone cannot be turned into a session.
 */
export function createConsoleSessions(deps: ConsoleSessionDeps) {
  // Derived from the session ID under the server key: per session, nothing more to store, and it
  // changes whenever the session does (sign-in rotates it).
  const csrfInput = (sessionId: string) => `console-csrf:${sessionId}`;
  const csrfToken = (sessionId: string) => deps.tokenHasher.hash(csrfInput(sessionId));
  const remove = (sessionId: string) =>
    deps.db
      .deleteFrom('console_sessions')
      .where('id_hash', 'in', deps.tokenHasher.candidates(sessionId))
      .execute();

  return {
    /**
     * Starts a session with a new random ID. A session the browser already presented is ended first:
     * whatever ID a browser had before signing in (planted or not) never becomes a signed-in one.
     */
    async start(admin: SignedInAdmin, previousId: string | undefined): Promise<ConsoleSession> {
      if (previousId) await remove(previousId);
      const id = newSecretToken();
      const now = deps.clock.now();
      await deps.db
        .insertInto('console_sessions')
        .values({
          id_hash: deps.tokenHasher.hash(id),
          email: admin.email,
          name: admin.name,
          tenant_id: admin.tenantId,
          object_id: admin.objectId,
          allowed_by: admin.allowedBy,
          created_at: now.toISOString(),
          last_seen_at: now.toISOString(),
          expires_at: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS).toISOString(),
        })
        .execute();
      return { ...admin, id, csrfToken: csrfToken(id) };
    },

    /** The live session for a cookie value, or undefined; an expired one is deleted on sight. */
    async find(id: string | undefined): Promise<ConsoleSession | undefined> {
      if (!id || id.length > 100) return undefined;
      const row = await deps.db
        .selectFrom('console_sessions')
        .selectAll()
        .where('id_hash', 'in', deps.tokenHasher.candidates(id))
        .executeTakeFirst();
      if (!row) return undefined;
      const now = deps.clock.now();
      const idleSince = Date.parse(row.last_seen_at);
      if (row.expires_at <= now.toISOString() || now.getTime() - idleSince >= IDLE_TIMEOUT_MS) {
        await remove(id);
        return undefined;
      }
      if (now.getTime() - idleSince >= TOUCH_INTERVAL_MS) {
        await deps.db
          .updateTable('console_sessions')
          .set({ last_seen_at: now.toISOString() })
          .where('id_hash', '=', row.id_hash)
          .execute();
      }
      return {
        id,
        email: row.email,
        name: row.name,
        tenantId: row.tenant_id,
        objectId: row.object_id,
        allowedBy: row.allowed_by,
        csrfToken: csrfToken(id),
      };
    },

    async end(id: string): Promise<void> {
      await remove(id);
    },

    /** Whether a form's token is this session's, compared in constant time (any configured key). */
    csrfMatches(sessionId: string, presented: unknown): boolean {
      if (typeof presented !== 'string' || presented === '') return false;
      return deps.tokenHasher
        .candidates(csrfInput(sessionId))
        .reduce((match, candidate) => safeEqual(candidate, presented) || match, false);
    },

    /** Deletes sessions past either limit; run now and then so abandoned ones do not pile up. */
    async purgeExpired(): Promise<number> {
      const now = deps.clock.now();
      const result = await deps.db
        .deleteFrom('console_sessions')
        .where((eb) =>
          eb.or([
            eb('expires_at', '<=', now.toISOString()),
            eb('last_seen_at', '<=', new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString()),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;
