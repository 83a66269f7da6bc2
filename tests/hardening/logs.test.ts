import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailSender } from '../../src/jobs/background.ts';
import { SEED_SERVICE_PRINCIPALS } from '../../src/sandbox/identity/service-principals.ts';
import { signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { captureLogs, TEST_ADMIN_TOKEN } from '../support/app.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

/**
 * The logs of a whole end-to-end run at debug level — a consultant's sign-in and linking, an admin's
 * console sign-in, a bulk send, a health check — searched for every secret and token value the run
 * used. Each value is collected where it is born (API responses, redirects, cookies, the sealed token
 * caches), so the search covers what really flowed, not what we guessed would.
 */
const logs = captureLogs();
let service: ServiceWithSandbox;
const secrets = new Map<string, string>();
const keep = (what: string, value: string | undefined | null) => {
  if (value && value.length >= 8) secrets.set(value, what);
};
const cookieValue = (setCookie: string | null | undefined, name: string) =>
  new RegExp(`(?:^|,\\s*)${name}=([^;,]+)`).exec(setCookie ?? '')?.[1];

beforeAll(async () => {
  service = await startServiceWithSandbox({ logger: logs.logger });
});
afterAll(() => service?.close());

/** Every `secret` in an MSAL cache (access, refresh and ID tokens). */
function cacheSecrets(node: unknown, found: string[] = []): string[] {
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'secret' && typeof value === 'string') found.push(value);
      else cacheSecrets(value, found);
    }
  }
  return found;
}

describe('no token or secret in the logs of an end-to-end run', () => {
  it('runs the consultant flow, a console sign-in, a bulk send and a health check', async () => {
    const api = (method: string, path: string, body?: unknown, token = TEST_ADMIN_TOKEN) =>
      fetch(`${service.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // biome-ignore lint/suspicious/noExplicitAny: test helper returning whatever JSON the API sent
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));

    // An API token, then used for everything else (and the bootstrap token once more, wrongly spelled).
    const created = await api('POST', '/api/tokens', { name: 'e2e' });
    expect(created.status).toBe(201);
    const apiToken = created.body.token as string;
    keep('API token', apiToken);
    await api('GET', '/api/consultants', undefined, `${TEST_ADMIN_TOKEN}x`);

    // The consultant: invitation, Continue, the account picker, the callback, PAL linked.
    const dana = await api(
      'POST',
      '/api/consultants',
      { email: 'dana.contributor@contoso.example' },
      apiToken,
    );
    const issued = await api('POST', '/api/invitations', { consultantIds: [dana.body.id] }, apiToken);
    const url = new URL(issued.body.invitations[0].url as string);
    keep('invitation token', url.pathname.split('/').pop());
    expect((await fetch(url)).status).toBe(200);
    // Routes match without regard to case: the same link spelled /I/ must be redacted as well.
    expect((await fetch(`${service.baseUrl}/I${url.pathname.slice(2)}`)).status).toBe(200);
    const started = await fetch(url, { method: 'POST', redirect: 'manual' });
    const signInCookie = cookieValue(started.headers.get('set-cookie'), 'pal_signin');
    keep('sign-in cookie', signInCookie);
    const authorize = new URL(started.headers.get('location')!);
    keep('state', authorize.searchParams.get('state'));
    keep('nonce', authorize.searchParams.get('nonce'));
    const back = await signInWithPicker(authorize.toString(), 'dana.contributor@contoso.example');
    keep('authorization code', new URL(back).searchParams.get('code'));
    const result = await fetch(back, { headers: { cookie: `pal_signin=${signInCookie}` } });
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('Linked');

    // The admin: console sign-in through the simulated Microsoft.
    const browser = request.agent(service.baseUrl);
    const adminStart = await browser
      .post('/console/sign-in')
      .set('origin', service.baseUrl)
      .type('form')
      .send({});
    keep(
      'console sign-in cookie',
      cookieValue(String(adminStart.headers['set-cookie']), 'pal_console_signin'),
    );
    const adminAuthorize = new URL(adminStart.headers.location as string);
    keep('console state', adminAuthorize.searchParams.get('state'));
    const adminBack = await signInWithPicker(adminAuthorize.toString(), 'alex.admin@contoso.example');
    keep('console authorization code', new URL(adminBack).searchParams.get('code'));
    const session = await browser.get(`${new URL(adminBack).pathname}${new URL(adminBack).search}`);
    keep('console session cookie', cookieValue(String(session.headers['set-cookie']), 'pal_console'));
    expect((await browser.get('/console')).status).toBe(200);

    // A bulk send of 12 invitations through the outbox.
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(
        (await api('POST', '/api/consultants', { email: `bulk${i}@contoso.example` }, apiToken)).body.id,
      );
    }
    const bulk = await api('POST', '/api/invitations', { consultantIds: ids, send: true }, apiToken);
    expect(bulk.status).toBe(202);
    for (const invitation of bulk.body.invitations)
      keep('bulk invitation token', new URL(invitation.url).pathname.slice(3));
    await createMailSender(service.deps, { idleMs: 10 }).drain();
    const batch = await api('GET', `/api/batches/${bulk.body.batchId}`, undefined, apiToken);
    expect(batch.body).toMatchObject({ total: 12, sent: 12 });

    // An automation identity registered with its secret (sealed), then a wrong secret tried in its place.
    const pipeline = SEED_SERVICE_PRINCIPALS.fabrikamPipeline;
    const registered = await api(
      'POST',
      '/api/automation-identities',
      {
        tenantId: SEED.tenants.fabrikam,
        clientId: pipeline.clientId,
        credential: { type: 'secret', secret: pipeline.secret },
      },
      apiToken,
    );
    expect(registered.body.link).toMatchObject({ status: 'linked' });
    keep('service principal secret', pipeline.secret);
    const wrong = 'not-the-pipeline-secret-4f2a9c';
    const replaced = await api(
      'PUT',
      `/api/automation-identities/${registered.body.identity.id}/credential`,
      { credential: { type: 'secret', secret: wrong } },
      apiToken,
    );
    expect(replaced.status).toBe(400);
    keep('wrong service principal secret', wrong);

    // A health check, which refreshes Dana's tokens in both customer tenants (and the pipeline's token).
    const run = await api('POST', '/api/health-checks', undefined, apiToken);
    for (;;) {
      const state = await api('GET', `/api/health-checks/${run.body.runId}`, undefined, apiToken);
      if (state.body.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // What was sealed away: every access, refresh and ID token the run obtained.
    const caches = await service.deps.db.selectFrom('token_caches').selectAll().execute();
    expect(caches.length).toBeGreaterThan(0);
    for (const row of caches) {
      const cache = service.deps.sealedBox.open(
        { keyId: row.key_id, data: row.data },
        `token-cache:${row.account_key}`,
      );
      expect(cache).toBeDefined();
      const found = cacheSecrets(JSON.parse(cache!));
      expect(found.length).toBeGreaterThanOrEqual(3);
      for (const secret of found) keep('Microsoft token', secret);
      // The stored row itself holds none of them.
      for (const secret of found) expect(row.data).not.toContain(secret);
    }
    keep('client secret', service.sandbox.clientSecret);
    keep('admin API token', TEST_ADMIN_TOKEN);
    for (const key of service.deps.config.tokenEncryptionKeys) {
      keep('encryption key', key.key.toString('base64'));
      keep('encryption key (base64url)', key.key.toString('base64url'));
    }
  });

  it('finds none of them in any log line', () => {
    const text = logs.lines.join('');
    // The run was logged (at debug level), so an empty search would not pass by accident.
    expect(logs.lines.length).toBeGreaterThan(25);
    expect(text).toContain('/i/[redacted]');
    expect(text).toContain('/auth/callback?');
    const kinds = new Set(secrets.values());
    for (const kind of [
      'API token',
      'invitation token',
      'bulk invitation token',
      'sign-in cookie',
      'state',
      'authorization code',
      'console session cookie',
      'console authorization code',
      'Microsoft token',
      'client secret',
      'service principal secret',
      'wrong service principal secret',
      'admin API token',
      'encryption key',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const leaks = [...secrets].filter(([value]) => text.includes(value)).map(([, what]) => what);
    expect(leaks).toEqual([]);
  });
});
