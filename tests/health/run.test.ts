import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScheduledHealthChecks,
  resumeStalledHealthRuns,
  startHealthRun,
  waitForRun,
} from '../../src/health/index.ts';
import { nock } from '../support/microsoft-nock.ts';
import {
  assignments,
  type Behaviour,
  CUSTOMER_TENANT,
  type HealthApp,
  healthApp,
  LINKED,
  microsoftFor,
  NOT_LINKED,
  person,
  ROLE,
  SUBSCRIPTION,
  subscriptionList,
} from './support.ts';

let app: HealthApp;
beforeEach(async () => {
  app = await healthApp();
  microsoftFor(app.people);
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const healthy = (n: number): Behaviour => {
  const objectId = person(n).objectIdIn[CUSTOMER_TENANT] as string;
  return {
    token: 'ok',
    link: LINKED,
    subscriptions: () => subscriptionList(SUBSCRIPTION),
    assignments: () => [200, assignments(objectId, [{ role: ROLE.contributor }])],
  };
};

async function insertRun(state: 'running' | 'completed', heartbeatAt: Date) {
  const id = randomUUID();
  await app.deps.db
    .insertInto('check_runs')
    .values({
      id,
      trigger: 'schedule',
      state,
      created_at: heartbeatAt.toISOString(),
      started_at: heartbeatAt.toISOString(),
      finished_at: null,
      counts: null,
      error: null,
      heartbeat_at: heartbeatAt.toISOString(),
    })
    .execute();
  return id;
}

describe('a transient failure', () => {
  it('keeps a healthy verdict visible (stale) when Resource Manager keeps answering 503, for that association only', async () => {
    const flaky = await app.signedIn(person(1), healthy(1));
    const steady = await app.signedIn(person(2), healthy(2));
    await app.check();
    expect((await app.association(flaky)).verdict).toBe('healthy');

    const behaviour = app.people.get(flaky)!.behaviour;
    behaviour.assignments = () => [503, { error: { code: 'ServiceUnavailable', message: 'try later' } }];
    app.clock.advance(24 * 3600_000);
    const report = await app.check();

    const association = await app.association(flaky);
    expect(association).toMatchObject({ verdict: 'healthy', verdict_stale: 1 });
    expect(association.evidence.lastFailure).toMatchObject({ errorKind: 'unavailable' });
    // The history says what really happened in this run.
    const rows = await app.verdictRows(report.runId);
    expect(rows.find((r) => r.association_id === association.id)).toMatchObject({
      verdict: 'check_failed',
      previous_verdict: 'healthy',
    });
    expect((await app.association(steady)).verdict_stale).toBe(0);
    expect(report.counts).toEqual({ healthy: 1, check_failed: 1 });
    expect(report.transitions).toEqual([]);
  });

  it('stores check_failed, and reports it, when nothing was known before', async () => {
    const consultantId = await app.signedIn(person(1), {
      ...healthy(1),
      link: () => [429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '0' }],
    });
    const report = await app.check();
    expect(await app.association(consultantId)).toMatchObject({ verdict: 'check_failed', verdict_stale: 0 });
    expect(report.transitions).toEqual([expect.objectContaining({ from: null, to: 'check_failed' })]);
  });
});

describe('transitions', () => {
  it('hands the hook every changed verdict with who and where, and only those', async () => {
    const dana = await app.signedIn(person(1), healthy(1));
    const eve = await app.signedIn(person(2), healthy(2));
    const first = await app.check();
    expect(first.transitions.map((t) => [t.consultantId, t.from, t.to]).sort()).toEqual(
      [
        [dana, null, 'healthy'],
        [eve, null, 'healthy'],
      ].sort(),
    );
    const since = (await app.association(eve)).verdict_since;

    app.people.get(dana)!.behaviour.link = NOT_LINKED;
    app.clock.advance(24 * 3600_000);
    const second = await app.check();
    expect(second.transitions).toEqual([
      {
        associationId: (await app.association(dana)).id,
        consultantId: dana,
        email: 'consultant1@contoso.com',
        displayName: 'Consultant 1',
        tenantId: CUSTOMER_TENANT,
        tenantName: 'Fabrikam',
        from: 'healthy',
        to: 'pal_missing',
        evidence: expect.objectContaining({ partnerId: null, expectedPartnerId: '123456' }),
      },
    ]);
    expect(app.reports.map((r) => r.runId)).toEqual([first.runId, second.runId]);
    expect((await app.association(dana)).verdict_since).toBe(app.clock.now().toISOString());
    expect((await app.association(eve)).verdict_since).toBe(since);
    const run = await app.deps.db
      .selectFrom('check_runs')
      .selectAll()
      .where('id', '=', second.runId)
      .executeTakeFirst();
    expect(run).toMatchObject({ state: 'completed', total: 2, done: 2, error: null });
    expect(JSON.parse(run!.counts!)).toEqual({ healthy: 1, pal_missing: 1 });
  });

  it('finishes the run even when the hook fails', async () => {
    await app.signedIn(person(1), healthy(1));
    const run = await startHealthRun(app.deps, {
      trigger: 'cli',
      onRunFinished: async () => Promise.reject(new Error('smtp down')),
    });
    expect((await waitForRun(app.deps, run.runId))?.counts).toEqual({ healthy: 1 });
    const row = await app.deps.db
      .selectFrom('check_runs')
      .selectAll()
      .where('id', '=', run.runId)
      .executeTakeFirst();
    expect(row?.state).toBe('completed');
  });
});

describe('one run at a time', () => {
  it('returns the running run instead of starting another while its heartbeat is recent', async () => {
    const running = await insertRun('running', new Date(app.clock.now().getTime() - 60_000));
    const run = await startHealthRun(app.deps, { trigger: 'manual' });
    expect(run).toMatchObject({ started: false, runId: running });
    expect(await app.deps.db.selectFrom('check_runs').selectAll().execute()).toHaveLength(1);
  });

  it('starts exactly one run when two start at once', async () => {
    await app.signedIn(person(1), healthy(1));
    const runs = await Promise.all([
      startHealthRun(app.deps, { trigger: 'manual' }),
      startHealthRun(app.deps, { trigger: 'cli' }),
    ]);
    expect(runs.filter((r) => r.started)).toHaveLength(1);
    expect(runs[0]?.runId).toBe(runs[1]?.runId);
    await Promise.all(runs.map((r) => waitForRun(app.deps, r.runId)));
  });

  it('marks a run left running by a dead process as interrupted, then starts', async () => {
    const dead = await insertRun('running', new Date(app.clock.now().getTime() - 11 * 60_000));
    const run = await startHealthRun(app.deps, { trigger: 'manual' });
    expect(run.started).toBe(true);
    await waitForRun(app.deps, run.runId);
    const old = await app.deps.db
      .selectFrom('check_runs')
      .selectAll()
      .where('id', '=', dead)
      .executeTakeFirst();
    expect(old).toMatchObject({ state: 'failed', finished_at: app.clock.now().toISOString() });
    expect(old?.error).toMatch(/^interrupted/);
  });
});

describe('the schedule', () => {
  it('starts a scheduled run when the injected clock passes the cron time, and not again that day', async () => {
    await app.signedIn(person(1), healthy(1));
    const runs = () => app.deps.db.selectFrom('check_runs').selectAll().execute();
    const local = (hour: number) => {
      const at = new Date(app.clock.now());
      at.setHours(hour, 0, 0, 0);
      return at;
    };
    // The server starts after today's 05:00 (its own time zone): nothing is due until tomorrow's.
    app.clock.set(local(9));
    const schedule = createScheduledHealthChecks(app.deps);
    expect(await schedule.tick()).toBe(false);
    app.clock.set(new Date(local(5).getTime() + 24 * 3600_000 - 1000));
    expect(await schedule.tick()).toBe(false);
    app.clock.advance(1000);
    expect(await schedule.tick()).toBe(true);
    expect(await runs()).toEqual([expect.objectContaining({ trigger: 'schedule' })]);
    // The run goes on in the background; let it finish before looking again.
    while ((await runs())[0]?.state === 'running') await new Promise((resolve) => setImmediate(resolve));
    expect((await runs())[0]?.state).toBe('completed');
    app.clock.advance(60_000);
    expect(await schedule.tick()).toBe(false);
    expect(await runs()).toHaveLength(1);
  });
});

describe('a run whose checks were lost (the process working it died)', () => {
  /** A run claimed and planned as startHealthRun does, but whose jobs never reach a worker. */
  async function strandedRun(minutesAgo: number) {
    const at = new Date(app.clock.now().getTime() - minutesAgo * 60_000);
    const id = await insertRun('running', at);
    const total = (await app.deps.db.selectFrom('associations').selectAll().execute()).length;
    await app.deps.db.updateTable('check_runs').set({ total }).where('id', '=', id).execute();
    return id;
  }

  it('is resumed by the next look at the runs, checking only what it had not checked', async () => {
    const first = await app.signedIn(person(1), healthy(1));
    await app.signedIn(person(2), healthy(2));
    await app.signedIn(person(3), healthy(3));
    const runId = await strandedRun(3);
    // One association was checked before the crash: its verdict is kept, not checked again.
    const [done] = await app.deps.db
      .selectFrom('associations')
      .selectAll()
      .where('consultant_id', '=', first)
      .execute();
    await app.deps.db
      .insertInto('verdicts')
      .values({
        id: randomUUID(),
        run_id: runId,
        association_id: done!.id,
        verdict: 'healthy',
        previous_verdict: null,
        evidence: '{}',
        checked_at: app.clock.now().toISOString(),
      })
      .execute();
    await app.deps.db.updateTable('check_runs').set({ done: 1 }).where('id', '=', runId).execute();

    expect(await resumeStalledHealthRuns(app.deps)).toEqual([runId]);
    const report = await waitForRun(app.deps, runId);
    expect(report?.counts).toEqual({ healthy: 3 });
    const rows = await app.verdictRows(runId);
    expect(rows).toHaveLength(3);
    // The two checked after the resumption name this instance; the one from before the crash does not.
    expect(rows.filter((row) => row.checked_by === app.deps.instanceId)).toHaveLength(2);
  });

  it('is left alone while it makes progress, and resumed by one instance only', async () => {
    await app.signedIn(person(1), healthy(1));
    const recent = await strandedRun(1);
    expect(await resumeStalledHealthRuns(app.deps)).toEqual([]);
    await app.deps.db
      .updateTable('check_runs')
      .set({ heartbeat_at: new Date(app.clock.now().getTime() - 3 * 60_000).toISOString() })
      .where('id', '=', recent)
      .execute();
    const both = await Promise.all([resumeStalledHealthRuns(app.deps), resumeStalledHealthRuns(app.deps)]);
    expect(both.flat()).toEqual([recent]);
    expect((await waitForRun(app.deps, recent))?.counts).toEqual({ healthy: 1 });
  });

  it('is given up, with the reason, when it started more than six hours ago', async () => {
    await app.signedIn(person(1), healthy(1));
    const old = await strandedRun(7 * 60);
    const reports: string[] = [];
    app.deps.health.onRunFinished = async (report) => {
      reports.push(...report.adminAlerts.map((alert) => alert.kind));
    };
    await resumeStalledHealthRuns(app.deps);
    const row = await app.deps.db
      .selectFrom('check_runs')
      .selectAll()
      .where('id', '=', old)
      .executeTakeFirst();
    expect(row).toMatchObject({ state: 'failed' });
    expect(row?.error).toMatch(/^gave up: no progress since/);
    expect(reports).toEqual(['run_failed']);
  });
});

describe('a scheduled run on several instances', () => {
  it('starts once for one occurrence of the schedule, however many instances see it due', async () => {
    await app.signedIn(person(1), healthy(1));
    const occurrence = new Date('2026-11-20T05:00:00Z').toISOString();
    const claims = await Promise.all([
      startHealthRun(app.deps, { trigger: 'schedule', scheduleSlot: occurrence }),
      startHealthRun(app.deps, { trigger: 'schedule', scheduleSlot: occurrence }),
    ]);
    expect(claims.filter((claim) => claim.started)).toHaveLength(1);
    await waitForRun(app.deps, claims[0]!.runId);
    // The run has finished: an instance that looks late still finds this occurrence taken.
    const late = await startHealthRun(app.deps, { trigger: 'schedule', scheduleSlot: occurrence });
    expect(late).toEqual({ started: false, runId: claims[0]!.runId });
    expect(await app.deps.db.selectFrom('check_runs').selectAll().execute()).toHaveLength(1);
  });
});
