import { Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { DatabaseConfig } from '../config/index.ts';
import { MIGRATIONS, migrationProvider } from './migrations/index.ts';
import { postgresDialect } from './postgres.ts';
import { sqliteDialect } from './sqlite.ts';
import type { Database } from './tables.ts';

export type Db = Kysely<Database>;

/**
 * Opens the database named by `DATABASE_URL`: an SQLite file (one instance) or PostgreSQL through a
 * connection pool. The same queries and migrations run on both. `onConnectionError` hears of pooled
 * PostgreSQL connections that broke while idle (the pool replaces them).
 */
export function openDatabase(
  target: DatabaseConfig,
  options: { onConnectionError?: (error: Error) => void } = {},
): Db {
  return new Kysely<Database>({
    dialect:
      target.kind === 'postgres'
        ? postgresDialect(target, options.onConnectionError)
        : sqliteDialect(target.file),
  });
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
