import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

const behaviour = (n: number, link: Behaviour['link'] = LINKED): Behaviour => {
  const objectId = person(n).objectIdIn[CUSTOMER_TENANT] as string;
  return {
    token: 'ok',
    link,
    subscriptions: () => subscriptionList(SUBSCRIPTION),
    assignments: () => [200, assignments(objectId, [{ role: ROLE.contributor }])],
  };
};

async function finished(runId: string) {
  for (;;) {
    const res = await app.api.get(`/api/health-checks/${runId}`);
    if (res.body.state !== 'running') return res;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('POST and GET /api/health-checks', () => {
  it('starts a run in the background (202) whose progress and counts can be followed', async () => {
    await app.signedIn(person(1), behaviour(1));
    await app.signedIn(person(2), behaviour(2, NOT_LINKED));
    const started = await app.api.post('/api/health-checks');
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ runId: expect.any(String), started: true });

    const run = await finished(started.body.runId);
    expect(run.status).toBe(200);
    expect(run.body).toEqual({
      runId: started.body.runId,
      state: 'completed',
      trigger: 'manual',
      total: 2,
      done: 2,
      counts: { healthy: 1, pal_missing: 1 },
      startedAt: app.clock.now().toISOString(),
      finishedAt: app.clock.now().toISOString(),
      error: null,
    });
    const audit = await app.api.get('/api/audit?action=health_check.started');
    expect(JSON.stringify(audit.body)).toContain(started.body.runId);
  });

  it('answers with the running run (started: false) instead of starting a second', async () => {
    const running = randomUUID();
    const now = app.clock.now().toISOString();
    await app.deps.db
      .insertInto('check_runs')
      .values({
        id: running,
        trigger: 'schedule',
        state: 'running',
        created_at: now,
        started_at: now,
        finished_at: null,
        counts: null,
        error: null,
        heartbeat_at: now,
      })
      .execute();
    const res = await app.api.post('/api/health-checks');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ runId: running, started: false });
    const progress = await app.api.get(`/api/health-checks/${running}`);
    expect(progress.body).toMatchObject({ state: 'running', done: 0, counts: {} });
  });

  it('lists recent runs, most recent first, and validates the limit', async () => {
    await app.signedIn(person(1), behaviour(1));
    const first = await app.check();
    app.clock.advance(60_000);
    const second = await app.check();
    const list = await app.api.get('/api/health-checks?limit=5');
    expect(list.status).toBe(200);
    expect(list.body.map((r: { runId: string }) => r.runId)).toEqual([second.runId, first.runId]);
    expect(list.body[0]).toMatchObject({ state: 'completed', counts: { healthy: 1 } });
    expect((await app.api.get('/api/health-checks?limit=0')).status).toBe(400);
  });

  it('refuses a malformed run ID with 400 and an unknown one with 404', async () => {
    expect((await app.api.get('/api/health-checks/not-a-run')).status).toBe(400);
    const missing = await app.api.get(`/api/health-checks/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('GET /api/associations.csv', () => {
  it('exports the filtered findings with roles, and neutralises cells a spreadsheet would run', async () => {
    const attacker = { ...person(1), name: '=HYPERLINK("https://evil.example","click")' };
    await app.signedIn(attacker, behaviour(1, NOT_LINKED));
    await app.signedIn(person(2), behaviour(2));
    await app.check();

    const res = await app.api.get('/api/associations.csv?verdict=pal_missing');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="associations-2026-11-20.csv"');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'email,displayName,tenantId,tenantName,objectId,linkedPartnerId,foundPartnerId,linkedAt,lastCheckedAt,verdict,stale,verdictSince,subscriptions,roles,errorCode',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('consultant1@contoso.com');
    expect(lines[1]).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    expect(lines[1]).toContain(',pal_missing,no,');
    expect(lines[1]).toContain(`Contributor @ /subscriptions/${SUBSCRIPTION}`);

    const all = await app.api.get('/api/associations.csv');
    expect(all.text.trimEnd().split('\r\n')).toHaveLength(3);
    expect((await app.api.get('/api/associations.csv?verdict=sideways')).status).toBe(400);
  });
});
