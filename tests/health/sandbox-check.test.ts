import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/health/report.ts';
import { signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

const DANA = 'dana.contributor@contoso.example';
const RILEY = 'riley.reader@contoso.example';
const SAM = 'sam.disabled@contoso.example';
const { fabrikam, northwind } = SEED.tenants;

let service: ServiceWithSandbox;
const reports: RunReport[] = [];
beforeAll(async () => {
  service = await startServiceWithSandbox();
  // Where the notifications plug in: here the test listens instead.
  service.deps.health.onRunFinished = async (report) => {
    reports.push(report);
  };
});
afterAll(async () => service?.close());

/** The consultant's journey as a browser walks it: invitation, Continue, the sandbox's account picker. */
async function link(email: string) {
  const created = await service.api('POST', '/api/consultants', { email });
  const issued = await service.api('POST', '/api/invitations', { consultantIds: [created.body.id] });
  const url = new URL(issued.body.invitations[0].url as string);
  let cookie = '';
  const started = await fetch(new URL(url.pathname, service.baseUrl), { method: 'POST', redirect: 'manual' });
  cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const back = await signInWithPicker(started.headers.get('location')!, email);
  const page = await fetch(back, { redirect: 'manual', headers: { cookie } });
  expect(page.status).toBe(200);
}

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${service.sandbox.url}/_sandbox/control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** A run through the admin API, to the end. */
async function runCheck() {
  const started = await service.api('POST', '/api/health-checks');
  expect(started.status).toBe(202);
  for (;;) {
    const run = await service.api('GET', `/api/health-checks/${started.body.runId}`);
    if (run.body.state !== 'running') {
      expect(run.body.state).toBe('completed');
      return run.body;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function verdicts() {
  const listed = await service.api('GET', '/api/associations');
  const byKey = new Map<string, { verdict: string; stale: boolean; evidence: Record<string, unknown> }>();
  for (const a of listed.body) byKey.set(`${a.email}@${a.tenantId}`, a);
  return (email: string, tenant: string) => byKey.get(`${email}@${tenant}`)!;
}

describe('the health check against the sandbox', () => {
  it('finds Dana healthy (Contributor through a nested group and directly), Riley Reader-only, Sam healthy', async () => {
    for (const email of [DANA, RILEY, SAM]) await link(email);
    const run = await runCheck();
    expect(run).toMatchObject({ total: 4, done: 4, counts: { healthy: 3, reader_only: 1 } });
    const verdict = await verdicts();
    expect(verdict(DANA, fabrikam)).toMatchObject({
      verdict: 'healthy',
      evidence: {
        partnerId: '4471231',
        subscriptions: 1,
        roles: [expect.objectContaining({ roleName: 'Contributor', eligible: true })],
      },
    });
    expect(verdict(DANA, northwind).verdict).toBe('healthy');
    expect(verdict(RILEY, fabrikam)).toMatchObject({
      verdict: 'reader_only',
      evidence: {
        subscriptions: 2,
        roles: [expect.objectContaining({ roleName: 'Reader' }), expect.anything()],
      },
    });
    expect(verdict(SAM, northwind).verdict).toBe('healthy');
    expect(reports.at(-1)?.transitions).toHaveLength(4);
  });

  it('sees what changed in the world: a role taken away, a disabled account, MFA, another partner’s ID', async () => {
    // Dana keeps only a Reader in Northwind.
    await control('POST', '/role-assignments', {
      tenant: northwind,
      scope: SEED.subscriptions.northwindTraders,
      role: 'Reader',
      principal: DANA,
    });
    await control('POST', `/users/${DANA}/roles/remove`, { tenant: northwind, role: 'Contributor' });
    await control('POST', `/users/${SAM}/disable`);
    await control('PUT', `/users/${RILEY}/refresh-error`, { code: 50076 });
    await control('PUT', '/partner-links', {
      tenant: fabrikam,
      upn: DANA,
      partnerId: SEED.otherPartner.partnerId,
    });

    const run = await runCheck();
    expect(run.counts).toEqual({ reader_only: 1, account_revoked: 1, reauth_required: 1, pal_mismatch: 1 });
    const verdict = await verdicts();
    expect(verdict(DANA, northwind)).toMatchObject({
      verdict: 'reader_only',
      evidence: { roles: [expect.objectContaining({ roleName: 'Reader', eligible: false })] },
    });
    expect(verdict(SAM, northwind)).toMatchObject({
      verdict: 'account_revoked',
      evidence: { errorCode: 'AADSTS50057', errorKind: 'account_gone' },
    });
    expect(verdict(RILEY, fabrikam)).toMatchObject({
      verdict: 'reauth_required',
      evidence: { errorCode: 'AADSTS50076' },
    });
    expect(verdict(DANA, fabrikam)).toMatchObject({
      verdict: 'pal_mismatch',
      evidence: { partnerId: SEED.otherPartner.partnerId, expectedPartnerId: '4471231' },
    });

    const transitions = reports
      .at(-1)!
      .transitions.map((t) => `${t.email} ${t.from}→${t.to}`)
      .sort();
    expect(transitions).toEqual(
      [
        `${DANA} healthy→pal_mismatch`,
        `${DANA} healthy→reader_only`,
        `${RILEY} reader_only→reauth_required`,
        `${SAM} healthy→account_revoked`,
      ].sort(),
    );
  });

  it('reports a deleted PAL link as pal_missing', async () => {
    await control('DELETE', '/partner-links', { tenant: fabrikam, upn: DANA });
    await runCheck();
    const verdict = await verdicts();
    expect(verdict(DANA, fabrikam)).toMatchObject({ verdict: 'pal_missing', evidence: { partnerId: null } });
    expect(reports.at(-1)?.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['pal_mismatch→pal_missing']);
  });

  it('stores the refreshed token caches sealed, never as readable text', async () => {
    const caches = await service.deps.db.selectFrom('token_caches').selectAll().execute();
    expect(caches).toHaveLength(3);
    for (const cache of caches) expect(cache.data).not.toMatch(/RefreshToken|refresh_token|secret/i);
    const evidence = await service.deps.db.selectFrom('verdicts').select('evidence').execute();
    expect(evidence.map((e) => e.evidence).join('\n')).not.toMatch(/eyJ[\w-]+\./);
  });
});
