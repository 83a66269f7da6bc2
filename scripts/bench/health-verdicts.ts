/**
 * Reads a health-check run's verdicts back from the service's database and compares each with what
 * the seeded world says it must be (`npm run bench:health`, `npm run reliability`, tests/faults).
 */
import { parseConfig } from '../../src/platform/config/index.ts';
import { openDatabase } from '../../src/platform/db/connection.ts';
import type { SeededWorld } from './health-sandbox.ts';

export interface VerdictCheck {
  byVerdict: Record<string, number>;
  wrong: number;
  examples: string[];
  checkFailed: number;
  staleKept: number;
}

/** Every association's verdict in this run against what the seeded world says it must be. */
export async function checkVerdicts(
  databaseUrl: string,
  runId: string,
  seeded: SeededWorld,
): Promise<VerdictCheck> {
  const expected = new Map(
    seeded.associations.map((a) => [`${a.tenantId}|${a.objectId}`.toLowerCase(), a.expected]),
  );
  const db = openBenchDatabase(databaseUrl);
  try {
    const rows = (await db
      .selectFrom('verdicts as v')
      .innerJoin('associations as a', 'a.id', 'v.association_id')
      .select([
        'a.tenant_id',
        'a.object_id',
        'a.verdict as shown',
        'a.verdict_stale as stale',
        'v.verdict as found',
        'v.previous_verdict as previous',
      ])
      .where('v.run_id', '=', runId)
      .execute()) as {
      tenant_id: string;
      object_id: string;
      shown: string;
      stale: number;
      found: string;
      previous: string | null;
    }[];
    const result: VerdictCheck = { byVerdict: {}, wrong: 0, examples: [], checkFailed: 0, staleKept: 0 };
    for (const row of rows) {
      const want = expected.get(`${row.tenant_id}|${row.object_id}`.toLowerCase());
      result.byVerdict[row.found] = (result.byVerdict[row.found] ?? 0) + 1;
      let wrong: string | undefined;
      if (row.found === 'check_failed') {
        result.checkFailed += 1;
        // A failed check keeps the last verdict, marked stale; with none it shows check_failed.
        if (row.previous === null || row.previous === 'check_failed') {
          if (row.shown !== 'check_failed') wrong = `shows ${row.shown} after a failed first check`;
        } else if (row.shown !== row.previous || row.stale !== 1) {
          wrong = `shows ${row.shown} (stale ${row.stale}) instead of the kept ${row.previous}`;
        } else {
          result.staleKept += 1;
          if (row.previous !== want) wrong = `kept ${row.previous}, expected ${want}`;
        }
      } else if (row.found !== want) {
        wrong = `${row.found}, expected ${want}`;
      } else if (row.shown !== row.found || row.stale !== 0) {
        wrong = `found ${row.found} but shows ${row.shown} (stale ${row.stale})`;
      }
      if (wrong) {
        result.wrong += 1;
        if (result.examples.length < 5) result.examples.push(`${row.tenant_id}/${row.object_id}: ${wrong}`);
      }
    }
    if (rows.length !== seeded.associations.length) {
      result.wrong += seeded.associations.length - rows.length;
      result.examples.push(`${seeded.associations.length - rows.length} associations got no verdict`);
    }
    return result;
  } finally {
    await db.destroy();
  }
}

/** The service's database, read back by the benchmark (SQLite file or PostgreSQL schema). */
export function openBenchDatabase(databaseUrl: string) {
  const parsed = parseConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '2' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return openDatabase(parsed.config.database);
}
