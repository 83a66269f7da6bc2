import { type DatabaseConfig, type PostgresConfig, parseDatabaseUrl } from '../platform/config/index.ts';
import { openDatabase } from '../platform/db/connection.ts';
import { copySqliteToPostgres, type TableCount } from '../platform/db/copy-to-postgres.ts';

export interface MigrateOptions {
  /** `sqlite:<file>`; the configured DATABASE_URL when not given. */
  from: string | undefined;
  to: string;
  /** The PostgreSQL server's CA certificate (PEM), for sslmode=verify-full. */
  ca: string | undefined;
}

/**
 * `pal migrate-to-postgres`: copies the embedded SQLite database into PostgreSQL, then compares row
 * counts table by table. Exit code 0 only when every table matches. Safe to run again: rows already
 * copied are skipped, so an interrupted copy is finished by running it once more.
 */
export async function migrateToPostgres(
  options: MigrateOptions,
  configured: () => DatabaseConfig,
  out: NodeJS.WritableStream,
): Promise<number> {
  const source = options.from === undefined ? configured() : parseDatabaseUrl(options.from);
  if (typeof source === 'string') throw new Error(`--from: ${source}`);
  if (source.kind !== 'sqlite' || source.file === ':memory:') {
    throw new Error(
      options.from === undefined
        ? 'DATABASE_URL is not an SQLite file: name the database to copy with --from sqlite:<file>'
        : '--from must be an SQLite file (sqlite:<file>)',
    );
  }
  const parsed = parseDatabaseUrl(options.to);
  if (typeof parsed === 'string') throw new Error(`--to: ${parsed}`);
  if (parsed.kind !== 'postgres') throw new Error('--to must be a postgres:// URL');
  // A copy is one statement at a time: a small pool is plenty.
  const target: PostgresConfig = { ...parsed, poolSize: 2, caPath: options.ca };

  out.write(`Copying ${source.file} into ${withoutPassword(options.to)}\n`);
  const db = openDatabase(target);
  try {
    let headerShown = false;
    const outcome = await copySqliteToPostgres(source.file, db, {
      onTable: (count) => {
        if (!headerShown) out.write(row('table', 'source', 'target', 'copied now'));
        headerShown = true;
        out.write(row(count.table, count.source, count.target, count.copied, mark(count)));
      },
    });
    if (!outcome.ok) {
      out.write(`Refused: ${outcome.problem}\n`);
      return 1;
    }
    const different = outcome.tables.filter((count) => count.source !== count.target);
    const rows = outcome.tables.reduce((sum, count) => sum + count.source, 0);
    if (different.length > 0) {
      out.write(
        `Row counts differ in ${different.map((c) => c.table).join(', ')}. Was the service still writing ` +
          'to the SQLite database, or did the target hold other data? Stop the service and run this again.\n',
      );
      return 1;
    }
    out.write(
      `All ${outcome.tables.length} tables match: ${rows} rows (schema at ${outcome.migration}). ` +
        'Point DATABASE_URL at the PostgreSQL database and start the service.\n',
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

function mark(count: TableCount): string {
  return count.source === count.target ? '' : '  ← differs';
}

function row(table: string, source: unknown, target: unknown, copied: unknown, note = ''): string {
  return `  ${table.padEnd(26)}${String(source).padStart(8)}${String(target).padStart(8)}${String(copied).padStart(12)}${note}\n`;
}

/** The URL as shown to the operator: the password stays out of terminals and logs. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
