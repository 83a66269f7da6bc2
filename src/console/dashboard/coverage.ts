import { VERDICTS } from '../../pal/verdicts.ts';
import type { Db } from '../../platform/db/connection.ts';

export interface RunCounts {
  runId: string;
  at: string;
  state: string;
  /** Verdict → associations given it in this run (from the verdict history, not the run's summary). */
  counts: Record<string, number>;
}

/** Worst first, then those never checked: the order every console list uses. */
export const VERDICT_ORDER = [...VERDICTS, 'unchecked'] as const;

/** The dashboard's numbers: coverage of the roster, findings now, and how runs went over time. */
export function createCoverage(db: Db) {
  const activeLinks = () =>
    db
      .selectFrom('associations as a')
      .innerJoin('consultants as c', 'c.id', 'a.consultant_id')
      .where('a.status', '=', 'active')
      .where('c.status', '=', 'active');

  return {
    async summary() {
      const consultants = await db
        .selectFrom('consultants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      const linked = await activeLinks()
        .select((eb) => eb.fn.count<number>('a.consultant_id').distinct().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await activeLinks()
        .select(['a.verdict', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('a.verdict')
        .execute();
      const byVerdict = new Map(rows.map((row) => [row.verdict ?? 'unchecked', Number(row.n)]));
      const total = Number(consultants.n);
      return {
        consultants: total,
        linked: Number(linked.n),
        notLinked: total - Number(linked.n),
        associations: [...byVerdict.values()].reduce((sum, n) => sum + n, 0),
        byVerdict: VERDICT_ORDER.map((verdict) => ({ verdict, count: byVerdict.get(verdict) ?? 0 })),
      };
    },

    /** The last `limit` runs, oldest first, with what each found. */
    async trend(limit: number): Promise<RunCounts[]> {
      const runs = await db
        .selectFrom('check_runs')
        .select(['id', 'created_at', 'state'])
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      if (runs.length === 0) return [];
      const rows = await db
        .selectFrom('verdicts')
        .select(['run_id', 'verdict', (eb) => eb.fn.countAll<number>().as('n')])
        .where(
          'run_id',
          'in',
          runs.map((run) => run.id),
        )
        .groupBy(['run_id', 'verdict'])
        .execute();
      return runs.reverse().map((run) => ({
        runId: run.id,
        at: run.created_at,
        state: run.state,
        counts: Object.fromEntries(
          rows.filter((row) => row.run_id === run.id).map((row) => [row.verdict, Number(row.n)]),
        ),
      }));
    },
  };
}

export type Coverage = ReturnType<typeof createCoverage>;
