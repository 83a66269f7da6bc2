import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Db } from './connection.ts';
import { MIGRATIONS, migrationProvider } from './migrations/index.ts';
import type { Database } from './tables.ts';

/** Every table, parents before children, so foreign keys hold at every step of the copy. */
export const TABLES_IN_DEPENDENCY_ORDER = [
  'locations',
  'consultants',
  'invitations',
  'automation_identities',
  'associations',
  'check_runs',
  'verdicts',
  'batches',
  'mail_outbox',
  'audit_events',
  'api_tokens',
  'token_caches',
  'auth_attempts',
  'console_sign_ins',
  'console_sessions',
  'finding_acknowledgements',
  'rate_limits',
] as const satisfies readonly (keyof Database)[];

// A migration that adds a table must add it above too, or this line stops compiling.
const everyTableListed: [Exclude<keyof Database, (typeof TABLES_IN_DEPENDENCY_ORDER)[number]>] extends [never]
  ? true
  : never = true;
void everyTableListed;

export interface TableCount {
  table: string;
  source: number;
  target: number;
  /** Rows this run inserted; the rest were there already (an earlier, interrupted copy). */
  copied: number;
}

export type CopyOutcome =
  | { ok: true; migration: string; tables: TableCount[] }
  | { ok: false; problem: string };

/** Bound parameters per insert, well under PostgreSQL's 65,535. */
const MAX_PARAMETERS = 20_000;
const MAX_CHUNK_ROWS = 500;

/**
 * Copies an SQLite database of PAL Manager into PostgreSQL. The target is first migrated to the
 * source's own migration level (not beyond: the tables must match), then each table is copied in
 * primary-key order and in chunks, skipping rows whose key is there already, so an interrupted copy
 * is finished by running it again. The source is opened read-only and never changed.
 */
export async function copySqliteToPostgres(
  sourceFile: string,
  target: Db,
  options: { onTable?: (count: TableCount) => void } = {},
): Promise<CopyOutcome> {
  const source = new SQLite(sourceFile, { readonly: true, fileMustExist: true });
  try {
    const level = await checkLevels(source, target);
    if (!level.ok) return level;
    const { error } = await new Migrator({ db: target, provider: migrationProvider }).migrateTo(
      level.migration,
    );
    if (error) throw error;

    const tables: TableCount[] = [];
    for (const table of level.tables) {
      const copied = await copyTable(source, target, table);
      const counted = {
        table,
        source: countSource(source, table),
        target: await countTarget(target, table),
        copied,
      };
      tables.push(counted);
      options.onTable?.(counted);
    }
    return { ok: true, migration: level.migration, tables };
  } finally {
    source.close();
  }
}

type Levels = { ok: true; migration: string; tables: string[] } | { ok: false; problem: string };

/** What can be copied: the source's migrations must all be known, and the target not ahead of it. */
async function checkLevels(source: SQLite.Database, target: Db): Promise<Levels> {
  const sourceTables = new Set(
    source.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[],
  );
  if (!sourceTables.has('kysely_migration'))
    return { ok: false, problem: 'the source is not a PAL Manager database (it has no migrations table)' };
  const applied = source.prepare('select name from kysely_migration order by name').pluck().all() as string[];
  const migration = applied.at(-1);
  if (!migration) return { ok: false, problem: 'the source has no migrations applied: nothing to copy' };
  const unknown = applied.filter((name) => !(name in MIGRATIONS));
  if (unknown.length > 0) {
    return {
      ok: false,
      problem: `the source was migrated by a newer PAL Manager (${unknown.join(', ')}): update this one first`,
    };
  }
  const onTarget = await new Migrator({ db: target, provider: migrationProvider }).getMigrations();
  const ahead = onTarget.filter((m) => m.executedAt && !applied.includes(m.name)).map((m) => m.name);
  if (ahead.length > 0) {
    return {
      ok: false,
      problem:
        `the target has migrations the source lacks (${ahead.join(', ')}). Bring the source up to date ` +
        'first (start the service, or run any pal command, on the SQLite database once), or copy into an empty database',
    };
  }
  const known = new Set<string>(TABLES_IN_DEPENDENCY_ORDER);
  const strange = [...sourceTables].filter(
    (name) => !known.has(name) && !name.startsWith('kysely_') && !name.startsWith('sqlite_'),
  );
  if (strange.length > 0)
    return { ok: false, problem: `the source has tables this copier does not know: ${strange.join(', ')}` };
  return { ok: true, migration, tables: TABLES_IN_DEPENDENCY_ORDER.filter((name) => sourceTables.has(name)) };
}

async function copyTable(source: SQLite.Database, target: Db, table: string): Promise<number> {
  const info = source.prepare(`select name, pk from pragma_table_info(?) order by cid`).all(table) as {
    name: string;
    pk: number;
  }[];
  const keys = info.filter((column) => column.pk > 0);
  if (keys.length !== 1) throw new Error(`${table}: expected a single-column primary key`);
  const key = keys[0]!.name;
  const columns = info.map((column) => column.name);
  const chunkRows = Math.min(MAX_CHUNK_ROWS, Math.floor(MAX_PARAMETERS / columns.length));
  const first = source.prepare(`select * from "${table}" order by "${key}" limit ?`);
  const next = source.prepare(`select * from "${table}" where "${key}" > ? order by "${key}" limit ?`);

  let copied = 0;
  let after: unknown;
  for (;;) {
    const rows = (after === undefined ? first.all(chunkRows) : next.all(after, chunkRows)) as Record<
      string,
      unknown
    >[];
    if (rows.length === 0) return copied;
    const result = await sql`
      insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))})
      values ${sql.join(rows.map((row) => sql`(${sql.join(columns.map((column) => row[column]))})`))}
      on conflict (${sql.ref(key)}) do nothing`.execute(target);
    copied += Number(result.numAffectedRows ?? 0n);
    after = rows.at(-1)![key];
  }
}

function countSource(source: SQLite.Database, table: string): number {
  return source.prepare(`select count(*) from "${table}"`).pluck().get() as number;
}

async function countTarget(target: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(target);
  return rows[0]?.n ?? 0;
}
