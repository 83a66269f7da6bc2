import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The database each test app gets. Without `TEST_DATABASE_URL`, an in-memory SQLite database (its own
 * by construction). With it (a postgres:// URL, as the CI's second run sets), a throwaway schema in
 * that database per app, so test files running in parallel never see each other's rows; the schemas
 * a test file made are dropped when it ends (see `test-database-cleanup.ts`).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

const madeHere: string[] = [];

/** A `DATABASE_URL` for one test app (or one CLI run) of its own. */
export function isolatedDatabaseUrl(): string {
  if (!TEST_DATABASE_URL) return 'sqlite::memory:';
  return postgresUrlWithSchema(TEST_DATABASE_URL, freshSchemaName());
}

/**
 * A `DATABASE_URL` for a process a test spawns (the server, the CLI): the SQLite file given, or on the
 * PostgreSQL pass a fresh schema, so process tests exercise the database the suite is run against.
 */
export function processDatabaseUrl(sqliteFile: string): string {
  return TEST_DATABASE_URL
    ? postgresUrlWithSchema(TEST_DATABASE_URL, freshSchemaName())
    : `sqlite:${sqliteFile}`;
}

/** A new schema name in the test database, dropped with the others when the file ends. */
export function freshSchemaName(): string {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  madeHere.push(schema);
  return schema;
}

export function postgresUrlWithSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

/** Drops every schema this test file made. Best effort: the CI drops the whole database afterwards. */
export async function dropTestSchemas(): Promise<void> {
  if (!TEST_DATABASE_URL || madeHere.length === 0) return;
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    // An app a test left open may still hold a lock; don't let one stuck schema hang the run.
    await client.query(`set lock_timeout = '5s'`);
    for (const schema of madeHere.splice(0)) {
      await client.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
      // pg-boss keeps its tables beside ours (src/jobs/pg-boss.ts).
      await client.query(`drop schema if exists "${schema}_jobs" cascade`).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
