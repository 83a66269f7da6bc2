import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { DatabaseConfig } from '../config/index.ts';
import { MIGRATIONS, migrationProvider } from './migrations/index.ts';
import type { Database } from './tables.ts';

export type Db = Kysely<Database>;

/** Opens the database named by `DATABASE_URL`, creating the folder of an SQLite file if needed. */
export function openDatabase(target: DatabaseConfig): Db {
  if (target.kind === 'postgres') {
    throw new Error('PostgreSQL support arrives with the scale-out work; use sqlite:<file> for now');
  }
  if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
  const sqlite = new SQLite(target.file);
  // WAL lets readers (health probes, dashboards) proceed while the outbox and checks write;
  // busy_timeout turns brief lock contention into a wait instead of an SQLITE_BUSY error.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  // With WAL, NORMAL keeps the database consistent through a process crash (SIGKILL) and only risks the
  // last commits on power loss; FULL would fsync every outbox update and halve bulk-send throughput.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
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

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface DatabaseStatus {
  reachable: boolean;
  pendingMigrations: string[];
}

/** What `/readyz` reports: can we query, and is the schema the one this code expects. */
export async function databaseStatus(db: Db): Promise<DatabaseStatus> {
  try {
    await sql`select 1`.execute(db);
    const applied = await new Migrator({ db, provider: migrationProvider }).getMigrations();
    const done = new Set(applied.filter((m) => m.executedAt).map((m) => m.name));
    return { reachable: true, pendingMigrations: Object.keys(MIGRATIONS).filter((name) => !done.has(name)) };
  } catch {
    return { reachable: false, pendingMigrations: [] };
  }
}
