import type { Db } from '../platform/db/connection.ts';
import type { Row } from '../platform/db/tables.ts';
import { createHealthStore, parseJson } from './store.ts';

/** A run as the API and the CLI show it. */
export interface RunView {
  runId: string;
  state: Row<'check_runs'>['state'];
  trigger: Row<'check_runs'>['trigger'];
  total: number | null;
  done: number;
  counts: Record<string, number>;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

/** Reading runs back: progress while one is going (counted from its verdicts so far), summaries after. */
export function createRunViews(db: Db) {
  const store = createHealthStore(db);

  const view = async (row: Row<'check_runs'>): Promise<RunView> => ({
    runId: row.id,
    state: row.state,
    trigger: row.trigger,
    total: row.total,
    done: row.done,
    counts:
      row.state === 'running'
        ? await store.countsOf(row.id)
        : ((parseJson(row.counts) as Record<string, number> | null) ?? {}),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  });

  return {
    async get(runId: string): Promise<RunView | undefined> {
      const row = await store.run(runId);
      return row ? view(row) : undefined;
    },
    async recent(limit: number): Promise<RunView[]> {
      return Promise.all((await store.recentRuns(limit)).map(view));
    },
  };
}

export type RunViews = ReturnType<typeof createRunViews>;
