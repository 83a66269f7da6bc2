import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { DatabaseConfig } from '../config/index.ts';
import type { Db } from '../db/connection.ts';

/** Where a limiter keeps its counts: undefined means this process's memory. */
export type RateLimitStores = (name: string) => Store | undefined;

/**
 * Counts per client address in the database, so several instances behind a load balancer share one
 * limit instead of each allowing its own. One upsert per request: a window that has ended starts
 * again at 1. Only the public pages (invitations, sign-in) use it, whose traffic is small.
 */
export function databaseRateLimitStore(deps: { db: Db; clock: Clock }, name: string): Store {
  let windowMs = 60_000;
  const keyOf = (key: string) => `${name}:${key}`;
  const now = () => deps.clock.now();
  return {
    prefix: `${name}:`,
    localKeys: false,
    init(options) {
      windowMs = options.windowMs;
    },
    async get(key) {
      const row = await deps.db
        .selectFrom('rate_limits')
        .select(['hits', 'reset_at'])
        .where('key', '=', keyOf(key))
        .executeTakeFirst();
      if (!row || row.reset_at <= now().toISOString()) return undefined;
      return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
    },
    async increment(key) {
      const at = now();
      const at_ = at.toISOString();
      const resetAt = new Date(at.getTime() + windowMs).toISOString();
      const row = await deps.db
        .insertInto('rate_limits')
        .values({ key: keyOf(key), hits: 1, reset_at: resetAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            hits: sql<number>`case when rate_limits.reset_at <= ${at_} then 1 else rate_limits.hits + 1 end`,
            reset_at: sql<string>`case when rate_limits.reset_at <= ${at_} then ${resetAt} else rate_limits.reset_at end`,
          }),
        )
        .returning(['hits', 'reset_at'])
        .executeTakeFirstOrThrow();
      // Now and then, forget windows long over (one statement, bounded by the index on reset_at).
      if (Math.random() < 0.01) {
        await deps.db.deleteFrom('rate_limits').where('reset_at', '<', at_).execute();
      }
      return { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) };
    },
    async decrement(key) {
      await deps.db
        .updateTable('rate_limits')
        .set({ hits: sql<number>`hits - 1` })
        .where('key', '=', keyOf(key))
        .where('hits', '>', 0)
        .execute();
    },
    async resetKey(key) {
      await deps.db.deleteFrom('rate_limits').where('key', '=', keyOf(key)).execute();
    },
  };
}

/**
 * PostgreSQL means there may be several instances: limits are counted in the database. The embedded
 * SQLite default is one instance: its memory is enough, and costs no write per request.
 */
export function rateLimitStores(deps: { db: Db; clock: Clock; database: DatabaseConfig }): RateLimitStores {
  return (name) => (deps.database.kind === 'postgres' ? databaseRateLimitStore(deps, name) : undefined);
}

/**
 * A limit per client address per minute on one public route. `name` keeps the routes' counts apart
 * in a shared store; `onLimit` answers the request that went over (a page, for people).
 */
export function perMinuteLimit(
  stores: RateLimitStores,
  name: string,
  limit: number,
  onLimit: (req: Request, res: Response) => void,
): RequestHandler {
  const store = stores(name);
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(store ? { store } : {}),
    handler: (req, res) => onLimit(req, res),
  });
}
