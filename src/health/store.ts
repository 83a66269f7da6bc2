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
    async claimRun(input: { trigger: Trigger; now: string; staleBefore: string }): Promise<RunClaim> {
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
            })
            .execute();
          return { started: true, runId };
        });
      } catch (error) {
        const winner = isUniqueViolation(error) ? await running(db) : undefined;
        if (winner) return { started: false, runId: winner.id };
        throw error;
      }
    },

    /** Every active association of an active consultant, with what it shows now. */
    async checkable(): Promise<Checkable[]> {
      const rows = await db
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
        .where('associations.status', '=', 'active')
        .where('consultants.status', '=', 'active')
        .orderBy('associations.tenant_id')
        .orderBy('associations.id')
        // The inner join keeps consultants' rows only (automation identities': src/automation/checkable.ts).
        .$narrowType<{ consultant_id: string }>()
        .execute();
      return rows.map((row) => ({
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
      }));
    },

    async setTotal(runId: string, total: number): Promise<void> {
      await db.updateTable('check_runs').set({ total }).where('id', '=', runId).execute();
    },

    /** One association's result: its history row, what it shows now, and the run's progress, together. */
    async record(input: {
      runId: string;
      association: Checkable;
      outcome: CheckOutcome;
      settled: Settled;
      now: string;
    }): Promise<void> {
      const { association, outcome, settled, now } = input;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('verdicts')
          .values({
            id: randomUUID(),
            run_id: input.runId,
            association_id: association.id,
            verdict: outcome.verdict,
            previous_verdict: association.shown.verdict,
            evidence: JSON.stringify(outcome.evidence),
            checked_at: now,
          })
          .execute();
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
      });
    },

    /** Ends a run that is still running (one marked interrupted meanwhile stays as it was). */
    async finish(input: {
      runId: string;
      state: 'completed' | 'failed';
      counts: Record<string, number>;
      error: string | null;
      now: string;
    }): Promise<void> {
      await db
        .updateTable('check_runs')
        .set({
          state: input.state,
          counts: JSON.stringify(input.counts),
          error: input.error,
          finished_at: input.now,
          heartbeat_at: input.now,
        })
        .where('id', '=', input.runId)
        .where('state', '=', 'running')
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

export type HealthStore = ReturnType<typeof createHealthStore>;

export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
