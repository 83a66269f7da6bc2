import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { type SqliteDatabase, SqliteDialect } from 'kysely';

/** The embedded database: one SQLite file (its folder created if needed) or `:memory:`. */
export function sqliteDialect(file: string): SqliteDialect {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers (health probes, dashboards) proceed while the outbox and checks write;
  // busy_timeout turns brief lock contention into a wait instead of an SQLITE_BUSY error.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  // With WAL, NORMAL keeps the database consistent through a process crash (SIGKILL) and only risks the
  // last commits on power loss; FULL would fsync every outbox update and halve bulk-send throughput.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return new SqliteDialect({ database: withStatementCache(sqlite) });
}

/** Distinct SQL texts kept prepared; queries with `in (?, ?, …)` lists vary, so this is bounded. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely prepares every query afresh, and better-sqlite3 frees a statement's native memory only when
 * its small JavaScript wrapper is garbage-collected, which V8 (unaware of that memory) does late: a
 * bulk send of 10,000 invitations left some 250 MB of dead statements behind. Reusing statements by
 * their SQL text keeps that bounded and spares SQLite compiling the same query again.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      const cached = cache.get(text);
      // A statement still being iterated (a streamed query) cannot run again: prepare another.
      if (cached?.busy) return sqlite.prepare(text);
      const statement = cached ?? sqlite.prepare(text);
      cache.delete(text); // re-inserted last: the Map's order is the least recently used first
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
