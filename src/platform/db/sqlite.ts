import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, type Driver, type SqliteDatabase, SqliteDialect } from 'kysely';

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
  return new ImmediateSqliteDialect({ database: withStatementCache(sqlite) });
}

/**
 * Transactions begin `IMMEDIATE`, taking the write lock up front. Kysely's plain `BEGIN` is deferred:
 * a transaction that reads first and writes later must upgrade its lock, and in WAL mode SQLite fails
 * that upgrade at once with SQLITE_BUSY when another process holds the write lock — busy_timeout is
 * never consulted, so a moment's contention became an error. Taking the lock at BEGIN waits for it
 * instead. Nothing is lost in this process: Kysely runs one transaction at a time on its connection.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
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
