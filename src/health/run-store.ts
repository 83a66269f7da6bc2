import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db/connection.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import type { Row } from '../platform/db/tables.ts';

export type Trigger = Row<'check_runs'>['trigger'];
export type RunClaim = { started: true; runId: string } | { started: false; runId: string };

/**
 * Check runs as rows: one running at a time (a partial unique index), a schedule occurrence started
 * once (a unique column), progress and heartbeat, completion by whichever instance records the last
 * verdict, and the takeover of runs whose work stopped.
 */
export function createRunStore(db: Db) {
  const running = (q: Db) =>
    q.selectFrom('check_runs').selectAll().where('state', '=', 'running').executeTakeFirst();

  /** This run's verdicts so far → how many of each. */
  const countsOf = async (runId: string): Promise<Record<string, number>> => {
    const rows = await db
      .selectFrom('verdicts')
      .select(['verdict', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('verdict')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.verdict, Number(row.n)]));
  };

  return {
    /**
     * Starts a run unless one is running: a live one (heartbeat after `staleBefore`) is returned
     * instead; a dead one is marked failed first. The partial unique index settles races between
     * processes: the loser reads the winner's run.
     */
    async claimRun(input: {
      trigger: Trigger;
      now: string;
      staleBefore: string;
      /** A scheduled run's occurrence: a second claim for the same one is refused (unique). */
      scheduleSlot?: string;
    }): Promise<RunClaim> {
      try {
        return await db.transaction().execute(async (trx): Promise<RunClaim> => {
          const current = await running(trx);
          if (current) {
            const heartbeat = current.heartbeat_at ?? current.started_at ?? current.created_at;
            if (heartbeat >= input.staleBefore) return { started: false, runId: current.id };
            await trx
              .updateTable('check_runs')
              .set({
                state: 'failed',
                finished_at: input.now,
                error: `interrupted: no progress since ${heartbeat} (the process running it stopped)`,
              })
              .where('id', '=', current.id)
              .where('state', '=', 'running')
              .execute();
          }
          const runId = randomUUID();
          await trx
            .insertInto('check_runs')
            .values({
              id: runId,
              trigger: input.trigger,
              state: 'running',
              created_at: input.now,
              started_at: input.now,
              finished_at: null,
              counts: null,
              error: null,
              heartbeat_at: input.now,
              schedule_slot: input.scheduleSlot ?? null,
            })
            .execute();
          return { started: true, runId };
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const winner =
          (await running(db)) ??
          (input.scheduleSlot === undefined
            ? undefined
            : await db
                .selectFrom('check_runs')
                .selectAll()
                .where('schedule_slot', '=', input.scheduleSlot)
                .executeTakeFirst());
        if (winner) return { started: false, runId: winner.id };
        throw error;
      }
    },

    async setTotal(runId: string, total: number): Promise<void> {
      await db.updateTable('check_runs').set({ total }).where('id', '=', runId).execute();
    },

    /** This run's verdicts so far → how many of each. */
    countsOf,

    /**
     * Completes the run if every association it planned has a verdict. Exactly one caller wins (the
     * update is conditional on the run still running): that one tells the run-finished hook.
     */
    async completeIfDone(runId: string, now: string): Promise<boolean> {
      const run = await db
        .selectFrom('check_runs')
        .select(['state', 'done', 'total'])
        .where('id', '=', runId)
        .executeTakeFirst();
      if (run?.state !== 'running' || run.total === null || run.done < run.total) return false;
      const counts = await countsOf(runId);
      const updated = await db
        .updateTable('check_runs')
        .set({
          state: 'completed',
          counts: JSON.stringify(counts),
          error: null,
          finished_at: now,
          heartbeat_at: now,
        })
        .where('id', '=', runId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /**
     * Ends a run that could not go on (its planning failed, or it was given up). Only a run still
     * running: true when this call ended it.
     */
    async failRun(runId: string, error: string, now: string): Promise<boolean> {
      const counts = await countsOf(runId);
      const updated = await db
        .updateTable('check_runs')
        .set({ state: 'failed', counts: JSON.stringify(counts), error, finished_at: now, heartbeat_at: now })
        .where('id', '=', runId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /** Runs still marked running whose last progress is older than `before`: their jobs were lost. */
    async stalledRuns(before: string) {
      return db
        .selectFrom('check_runs')
        .selectAll()
        .where('state', '=', 'running')
        .where('heartbeat_at', '<', before)
        .execute();
    },

    /**
     * Takes over a stalled run for resumption: moves its heartbeat on, unless another instance did so
     * first (the heartbeat is no longer the one this caller saw).
     */
    async claimResumption(runId: string, sawHeartbeat: string, now: string): Promise<boolean> {
      const updated = await db
        .updateTable('check_runs')
        .set({ heartbeat_at: now })
        .where('id', '=', runId)
        .where('state', '=', 'running')
        .where('heartbeat_at', '=', sawHeartbeat)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /** Sets what a resumed run still has to do: done so far plus what is left. */
    async replan(runId: string, remaining: number): Promise<void> {
      await db
        .updateTable('check_runs')
        .set({ total: sql<number>`done + ${remaining}` })
        .where('id', '=', runId)
        .execute();
    },

    async run(runId: string) {
      return db.selectFrom('check_runs').selectAll().where('id', '=', runId).executeTakeFirst();
    },

    async recentRuns(limit: number) {
      return db.selectFrom('check_runs').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    },

    /** When the schedule last started a run (or tried to): the next firing is computed from it. */
    async lastScheduledAt(): Promise<Date | null> {
      const row = await db
        .selectFrom('check_runs')
        .select((eb) => eb.fn.max('created_at').as('at'))
        .where('trigger', '=', 'schedule')
        .executeTakeFirst();
      return row?.at ? new Date(row.at) : null;
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
