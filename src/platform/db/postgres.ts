import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import {
  type DatabaseIntrospector,
  type Kysely,
  PostgresDialect,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';
import { Pool, type PoolConfig, types } from 'pg';
import type { PostgresConfig } from '../config/index.ts';

/** pg's OIDs for the types it would otherwise hand back as strings. */
const INT8_OID = 20;

/**
 * `count(*)` and `sum(integer)` are int8 in PostgreSQL, which pg returns as strings (they may exceed
 * 2^53). Ours are counts of rows, far below that, and the code (like SQLite's driver) expects numbers.
 * Set per pool rather than on pg's global table, so nothing else in the process is affected.
 */
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
};

/** libpq's `sslmode` as Node's TLS options: `require` encrypts without verifying, as libpq does. */
export function tlsOptions(
  mode: PostgresConfig['sslMode'],
  ca: string | undefined,
): ConnectionOptions | false {
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      // libpq verifies the chain under `require` when given a root certificate; so do we.
      return ca ? { ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ...(ca ? { ca } : {}), checkServerIdentity: () => undefined };
    default: // verify-full
      return ca ? { ca } : {};
  }
}

export function poolConfig(target: PostgresConfig): PoolConfig {
  const ca = target.caPath ? readFileSync(target.caPath, 'utf8') : undefined;
  return {
    connectionString: target.url,
    max: target.poolSize,
    ssl: tlsOptions(target.sslMode, ca),
    // A startup parameter rather than a `set` per connection: no extra round trip, and it holds for
    // every connection the pool ever opens.
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    types: typeParsers,
    application_name: 'pal-manager',
    // A database that does not answer must fail `/readyz` and start-up, not hang them.
    connectionTimeoutMillis: 10_000,
    // Idle connections must not keep a finished CLI command (or a test worker) alive.
    allowExitOnIdle: true,
  };
}

/**
 * The Postgres dialect over a pg Pool. With `?schema=`, the schema is created (if missing) before the
 * first query, so migrations have somewhere to create their tables.
 */
export function postgresDialect(
  target: PostgresConfig,
  onIdleError: (error: Error) => void = () => {},
): PostgresDialect {
  return new ScopedPostgresDialect({
    pool: async () => {
      const pool = new Pool(poolConfig(target));
      // An idle connection the server closed (restart, failover, idle timeout) is reported here; the
      // pool drops it and opens another when needed. Without a listener the event would end the process.
      pool.on('error', onIdleError);
      try {
        if (target.schema) await ensureSchema(pool, target.schema);
      } catch (error) {
        await pool.end();
        throw error;
      }
      return pool;
    },
  });
}

async function ensureSchema(pool: Pool, schema: string): Promise<void> {
  const found = await pool.query('select 1 from pg_namespace where nspname = $1', [schema]);
  if (found.rowCount) return; // no CREATE privilege needed when a DBA made it
  try {
    await pool.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two instances starting together: `if not exists` can still lose the race on the catalog.
    const code = (error as { code?: string }).code;
    if (code !== '42P06' && code !== '23505') throw error;
  }
}

/**
 * What Kysely's Migrator asks of introspection ("does `kysely_migration` exist?"), answered for the
 * current schema only. Kysely's own Postgres introspector lists every column of every schema the user
 * can see: on a shared server it finds another schema's `kysely_migration` (and then never creates
 * ours), and it fails if some schema is dropped while it runs — as the tests' throwaway schemas are.
 * Columns are not listed: nothing of ours reads them.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_namespace`.execute(this.#db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p', 'f')
      order by c.relname`.execute(this.#db);
    return rows.map((row) => ({
      name: row.name,
      schema: row.schema,
      isView: row.kind === 'v',
      isForeign: row.kind === 'f',
      columns: [],
    }));
  }
}

/** The Postgres dialect with introspection scoped to the current schema (see above). */
class ScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
