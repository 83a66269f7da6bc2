import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db/connection.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import type { Row } from '../platform/db/tables.ts';
import type { AssociationToCheck, CheckOutcome } from './check-association.ts';
import type { Settled, Shown } from './settle.ts';

export type Trigger = Row<'check_runs'>['trigger'];
export type RunClaim = { started: true; runId: string } | { started: false; runId: string };
export type Checkable = AssociationToCheck & { shown: Shown };

/** Check runs, the verdict history and the associations' current verdicts. */
export function createHealthStore(db: Db) {
  const running = (q: Db) =>
    q.selectFrom('check_runs').selectAll().where('state', '=', 'running').executeTakeFirst();

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

    /** Every active association of an active consultant, with what it shows now. */
    async checkable(): Promise<Checkable[]> {
      const rows = await selectCheckable(db)
        .where('associations.status', '=', 'active')
        .where('consultants.status', '=', 'active')
        .orderBy('associations.tenant_id')
        .orderBy('associations.id')
        .execute();
      return rows.map(toCheckable);
    },

    /**
     * The associations a run's job names, whatever their status now: the run decided to check them
     * when it started, and its count of done against total must add up.
     */
    async checkableByIds(ids: readonly string[]): Promise<Checkable[]> {
      if (ids.length === 0) return [];
      const rows = await selectCheckable(db).where('associations.id', 'in', ids).execute();
      return rows.map(toCheckable);
    },

    /** Every association with a verdict in this run so far. */
    async recordedInRun(runId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('verdicts')
        .select('association_id')
        .where('run_id', '=', runId)
        .execute();
      return new Set(rows.map((row) => row.association_id));
    },

    /** Which of these associations already have a verdict in this run (a job run again after a crash). */
    async recordedIn(runId: string, ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db
        .selectFrom('verdicts')
        .select('association_id')
        .where('run_id', '=', runId)
        .where('association_id', 'in', ids)
        .execute();
      return new Set(rows.map((row) => row.association_id));
    },

    async setTotal(runId: string, total: number): Promise<void> {
      await db.updateTable('check_runs').set({ total }).where('id', '=', runId).execute();
    },

    /**
     * One association's result: its history row, what it shows now, and the run's progress, together.
     * Once per association per run: false (and nothing written) when a verdict is already there — the
     * same job ran twice, on another instance, after its first worker was presumed dead.
     */
    async record(input: {
      runId: string;
      association: Checkable;
      outcome: CheckOutcome;
      settled: Settled;
      now: string;
      checkedBy: string;
    }): Promise<boolean> {
      const { association, outcome, settled, now } = input;
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('verdicts')
          .values({
            id: randomUUID(),
            run_id: input.runId,
            association_id: association.id,
            verdict: outcome.verdict,
            previous_verdict: association.shown.verdict,
            evidence: JSON.stringify(outcome.evidence),
            checked_at: now,
            checked_by: input.checkedBy,
          })
          .onConflict((oc) => oc.columns(['run_id', 'association_id']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await trx
          .updateTable('associations')
          .set({
            verdict: settled.verdict,
            verdict_since: settled.since,
            verdict_stale: settled.stale,
            last_checked_at: now,
            evidence: JSON.stringify(settled.evidence),
          })
          .where('id', '=', association.id)
          .execute();
        await trx
          .updateTable('check_runs')
          .set({ done: sql<number>`done + 1`, heartbeat_at: now })
          .where('id', '=', input.runId)
          .execute();
        return true;
      });
    },

    /** This run's verdicts so far → how many of each. */
    async countsOf(runId: string): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom('verdicts')
        .select(['verdict', (eb) => eb.fn.countAll<number>().as('n')])
        .where('run_id', '=', runId)
        .groupBy('verdict')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.verdict, Number(row.n)]));
    },

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
      const counts = await this.countsOf(runId);
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

    /**
     * What the finished run's report is made of: each verdict with whom it concerns — a consultant, or
     * an automation identity (named by its app's client ID).
     */
    async reportRows(runId: string) {
      const rows = await db
        .selectFrom('verdicts')
        .innerJoin('associations', 'associations.id', 'verdicts.association_id')
        .leftJoin('consultants', 'consultants.id', 'associations.consultant_id')
        .leftJoin('automation_identities', 'automation_identities.id', 'associations.automation_identity_id')
        .select([
          'verdicts.association_id',
          'verdicts.verdict',
          'verdicts.previous_verdict',
          'verdicts.evidence',
          'associations.kind',
          'associations.consultant_id',
          'associations.automation_identity_id',
          'associations.tenant_id',
          'associations.tenant_name',
          'consultants.email',
          'consultants.display_name',
          'automation_identities.display_name as identity_name',
          'automation_identities.client_id',
        ])
        .where('verdicts.run_id', '=', runId)
        .orderBy('verdicts.checked_at')
        .execute();
      return rows.map((row) => ({
        ...row,
        whoId: row.consultant_id ?? row.automation_identity_id ?? '',
        email: row.email ?? `app ${row.client_id ?? 'unknown'}`,
        displayName: row.display_name ?? row.identity_name ?? '',
      }));
    },

    /**
     * Ends a run that could not go on (its planning failed, or it was given up). Only a run still
     * running: true when this call ended it.
     */
    async failRun(runId: string, error: string, now: string): Promise<boolean> {
      const counts = await this.countsOf(runId);
      const updated = await db
        .updateTable('check_runs')
        .set({ state: 'failed', counts: JSON.stringify(counts), error, finished_at: now, heartbeat_at: now })
        .where('id', '=', runId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
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

export type HealthStore = ReturnType<typeof createHealthStore>;

function selectCheckable(db: Db) {
  return (
    db
      .selectFrom('associations')
      .innerJoin('consultants', 'consultants.id', 'associations.consultant_id')
      .select([
        'associations.id',
        'associations.consultant_id',
        'consultants.email',
        'consultants.display_name',
        'consultants.location_id',
        'consultants.home_account_id',
        'associations.tenant_id',
        'associations.tenant_name',
        'associations.object_id',
        'associations.verdict',
        'associations.verdict_since',
        'associations.evidence',
      ])
      // The inner join keeps consultants' rows only (automation identities': src/automation/check.ts).
      .$narrowType<{ consultant_id: string }>()
  );
}

type CheckableRow = Awaited<ReturnType<ReturnType<typeof selectCheckable>['execute']>>[number];

function toCheckable(row: CheckableRow): Checkable {
  return {
    id: row.id,
    consultantId: row.consultant_id,
    email: row.email,
    displayName: row.display_name,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    objectId: row.object_id,
    homeAccountId: row.home_account_id,
    expectedPartnerId: row.location_id,
    shown: { verdict: row.verdict, since: row.verdict_since, evidence: parseJson(row.evidence) },
  };
}

export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
