import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db/connection.ts';
import type { AssociationToCheck, CheckOutcome } from './check-association.ts';
import { createRunStore } from './run-store.ts';
import type { Settled, Shown } from './settle.ts';

export type { RunClaim, Trigger } from './run-store.ts';

export type Checkable = AssociationToCheck & { shown: Shown };

/**
 * What a health-check run reads and writes: its run row (run-store.ts), the associations it checks,
 * their verdict history and what each shows now.
 */
export function createHealthStore(db: Db) {
  return {
    ...createRunStore(db),

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
