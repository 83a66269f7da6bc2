import { abandonRun, CHECK_QUEUE, checkableNow, completeIfDone, jobsFor, type RunContext } from './run.ts';

/** A running run with no verdict recorded for this long has lost its jobs (a crash, a lost queue). */
export const RUN_STALLED_AFTER_MS = 2 * 60_000;
/** A run still unfinished this long after it started is given up rather than resumed again. */
export const RUN_GIVE_UP_AFTER_MS = 6 * 3600_000;

/**
 * Picks up runs whose work stopped: the in-process queue loses its jobs when the process dies, and a
 * pg-boss job can run out of retries. Each stalled run is taken by one instance (the heartbeat it saw
 * must still be there), and what it has not checked yet is queued again; the checks already recorded
 * stay. Every instance calls this now and then; it does nothing while runs make progress.
 */
export async function resumeStalledRuns(ctx: RunContext): Promise<string[]> {
  const now = ctx.clock.now();
  const resumed: string[] = [];
  const stalled = await ctx.store.stalledRuns(new Date(now.getTime() - RUN_STALLED_AFTER_MS).toISOString());
  for (const run of stalled) {
    if (!run.heartbeat_at) continue;
    if (!(await ctx.store.claimResumption(run.id, run.heartbeat_at, now.toISOString()))) continue;
    const startedAt = new Date(run.started_at ?? run.created_at).getTime();
    if (now.getTime() - startedAt > RUN_GIVE_UP_AFTER_MS) {
      await abandonRun(
        ctx,
        run.id,
        `gave up: no progress since ${run.heartbeat_at}, ${hours(now.getTime() - startedAt)} after it started`,
      );
      continue;
    }
    const recorded = await ctx.store.recordedInRun(run.id);
    const remaining = (await checkableNow(ctx)).filter((association) => !recorded.has(association.id));
    await ctx.store.replan(run.id, remaining.length);
    await ctx.jobs.send(CHECK_QUEUE, jobsFor(run.id, remaining));
    ctx.logger.warn(
      { runId: run.id, done: recorded.size, remaining: remaining.length, since: run.heartbeat_at },
      'health check run had stalled (its worker stopped); resuming what is left',
    );
    resumed.push(run.id);
    await completeIfDone(ctx, run.id);
  }
  return resumed;
}

const hours = (ms: number) => `${Math.round(ms / 3600_000)} h`;
