import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailRenderer } from '../../src/mail/render.ts';
import { createTemplates } from '../../src/platform/templates.ts';
import { signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import { ADMIN, apiRoutes, apiTestApp } from '../api/support.ts';
import { addCheckedLink, addConsultant } from '../console/seed.ts';
import { ALEX, consoleRoutes, fakeIdentity, ORIGIN, signIn, submit } from '../console/support.ts';
import { buildTestApp, TEST_ADMIN_TOKEN, testConfig } from '../support/app.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';
import { CSV_CASES } from './corpus/csv.ts';
import { BAD_IDS, BODY_ROUTES, FIELD_VALUES, QUERIES, RAW_BODIES, WRONG_VALUES } from './corpus/json.ts';
import { SCRIPT_PAYLOADS } from './corpus/names.ts';
import { ADMIN_CONSENT_QUERIES, CALLBACK_CASES } from './corpus/oauth.ts';
import { HEADER_TARGETS, HOSTILE_HEADERS, PATH_TRICKS } from './corpus/requests.ts';
import { JUNK_TOKENS, tamperedTokens } from './corpus/tokens.ts';
import { createTally } from './tally.ts';

/**
 * The hostile-input corpus against the real app: every input must get a 4xx with a message (or be
 * harmless once escaped), never a 5xx, and no valid record may change. Figures go to
 * test-results/hardening-input.json for the reliability report.
 */
const tally = createTally();
afterAll(() => tally.write('test-results/hardening-input.json'));

type Built = Awaited<ReturnType<typeof apiTestApp>>;
let api: Built;
/** A bystander no hostile request names: it must come out exactly as it went in. */
let keeper: Record<string, unknown>;
/** The consultant the `:id` routes are aimed at (a hostile body may only change it if it is valid). */
let target: Record<string, unknown>;
beforeAll(async () => {
  api = await apiTestApp();
  keeper = (
    await api.api.post('/api/consultants', {
      email: 'keeper@contoso.example',
      displayName: 'Keeper',
      locationId: '4471232',
      customerTenants: ['3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'],
    })
  ).body;
  target = (await api.api.post('/api/consultants', { email: 'target@contoso.example' })).body;
});
afterAll(() => api?.close());

/** A refusal in the one error shape: a code and a message someone can act on. */
function expectClearRefusal(res: request.Response, label: string) {
  expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expect(res.body?.error?.message, label).toEqual(expect.any(String));
  expect(res.body.error.message.length, label).toBeGreaterThan(5);
}

const concreteWith = (path: string, id: string) => path.replace(/:[A-Za-z]+/g, id);

describe('JSON bodies of the wrong type, shape and size', () => {
  it('refuses every raw body on every body route with a clear 4xx', async () => {
    const bodyRoutes = apiRoutes(api.deps).filter((r) => ['post', 'patch', 'put'].includes(r.method));
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of bodyRoutes) {
      for (const body of RAW_BODIES) {
        const label = `${route.method} ${route.path} ← ${body.label}`;
        const path = concreteWith(route.path, String(target.id));
        const req = request(api.app)[route.method as 'post'](path).set(ADMIN);
        if (body.type !== '') req.set('content-type', body.type ?? 'application/json');
        const res = await req.send(body.raw);
        tally.response('json-body', label, res.status);
        // POST /api/health-checks takes no body, so an ignored body may start a run: a 202, not a 5xx.
        if (res.status < 400) continue;
        expectClearRefusal(res, label);
      }
    }
  });

  it('refuses a wrong value in each field of each body with a 400 naming the field', async () => {
    for (const route of BODY_ROUTES) {
      const fields = Object.keys(route.valid);
      for (const field of fields) {
        const values = [...WRONG_VALUES, ...(FIELD_VALUES[field] ?? [])];
        for (const [name, value] of values) {
          const label = `${route.method} ${route.path} ${field}=${name}`;
          const body = JSON.parse(JSON.stringify(route.valid).replaceAll(':id', String(target.id)));
          body[field] = value;
          const res = await request(api.app)
            [route.method](concreteWith(route.path, String(target.id)))
            .set(ADMIN)
            .send(body);
          tally.response('json-field', label, res.status);
          expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expectClearRefusal(res, label);
        }
      }
    }
  });

  it('refuses wrong query parameters on every list route', async () => {
    for (const { path, queries } of QUERIES) {
      for (const query of queries) {
        const label = `GET ${path}?${query.slice(0, 60)}`;
        const res = await request(api.app).get(`${path}?${query}`).set(ADMIN);
        tally.response('query', label, res.status);
        expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expectClearRefusal(res, label);
      }
    }
  });

  it('answers a path parameter that is not an ID with a 4xx on every :id route', async () => {
    const idRoutes = apiRoutes(api.deps).filter((r) => r.path.includes(':'));
    for (const route of idRoutes) {
      for (const id of BAD_IDS) {
        const label = `${route.method} ${route.path} id=${id.slice(0, 40)}`;
        const res = await request(api.app)
          [route.method as 'get'](concreteWith(route.path, id))
          .set(ADMIN)
          .send(route.method === 'get' || route.method === 'delete' ? undefined : { name: 'x' });
        tally.response('path-param', label, res.status);
        expectClearRefusal(res, label);
      }
    }
  });

  it('left the valid consultant exactly as it was', async () => {
    const now = await api.api.get(`/api/consultants/${String(keeper.id)}`);
    expect(now.status).toBe(200);
    expect(now.body).toEqual({ ...keeper, associations: [], invitations: [] });
  });
});

describe('malformed roster CSVs', () => {
  it('imports every valid row around the damage, or refuses the whole file with what to do', async () => {
    expect(CSV_CASES.length).toBeGreaterThanOrEqual(30);
    for (const [index, csv] of CSV_CASES.entries()) {
      const valid = Array.from({ length: csv.validRows ?? 0 }, (_, j) => `csv${index}-v${j}@contoso.example`);
      const res = await request(api.app)
        .post('/api/consultants/import')
        .set(ADMIN)
        .set('content-type', csv.type ?? 'text/csv')
        .send(csv.body(valid));
      tally.response('csv', csv.label, res.status);
      const stored = await api.api.get(`/api/consultants?q=csv${index}-&limit=500`);
      const emails = (stored.body.consultants as { email: string }[]).map((c) => c.email).sort();
      expect(res.status, `${csv.label}: ${res.text.slice(0, 300)}`).toBe(csv.status);
      if (csv.status === 200) {
        // Nothing valid lost: every good row is in the roster, the damage is reported by line.
        expect(emails, csv.label).toEqual(expect.arrayContaining(valid));
        const said = (res.body.errors as { message: string }[]).map((e) => e.message).join('\n');
        if (csv.says) expect(said, csv.label).toMatch(csv.says);
      } else {
        expectClearRefusal(res, csv.label);
        if (csv.says) expect(res.body.error.message, csv.label).toMatch(csv.says);
        // A refused file changes nothing: no half-imported roster.
        expect(emails, csv.label).toEqual([]);
      }
    }
  });
});

/**
 * Tokens and callbacks against the real app wired to the sandbox, so forged codes really are sent to
 * (and refused by) an identity platform. Each request comes from its own client address (the app
 * trusts X-Forwarded-For from loopback), so the per-address rate limits do not mask the answers.
 */
describe('invitation tokens and OAuth callbacks', () => {
  let service: ServiceWithSandbox;
  let address = 0;
  const from = () => `10.9.${Math.floor(address / 250)}.${(address++ % 250) + 1}`;
  const send = (path: string, init: RequestInit & { cookie?: string } = {}) =>
    fetch(new URL(path, service.baseUrl), {
      redirect: 'manual',
      ...init,
      headers: {
        'x-forwarded-for': from(),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...init.headers,
      },
    });
  const DANA = 'dana.contributor@contoso.example';

  beforeAll(async () => {
    service = await startServiceWithSandbox();
  });
  afterAll(() => service?.close());

  async function invite(email: string) {
    const created = await service.api('POST', '/api/consultants', { email });
    const id =
      created.body.id ?? (await service.api('GET', `/api/consultants?q=${email}`)).body.consultants[0].id;
    const issued = await service.api('POST', '/api/invitations', { consultantIds: [id] });
    const url = new URL(issued.body.invitations[0].url as string);
    return { consultantId: id as string, path: url.pathname, token: url.pathname.split('/').pop()! };
  }

  /** Presses Continue: the sign-in cookie and the state Microsoft was given. */
  async function start(path: string) {
    const started = await send(path, { method: 'POST' });
    expect(started.status).toBe(303);
    const location = started.headers.get('location')!;
    return {
      cookie: (started.headers.get('set-cookie') ?? '').split(';')[0]!,
      state: new URL(location).searchParams.get('state')!,
      location,
    };
  }

  function expectErrorPage(status: number, html: string, label: string) {
    expect(status, `${label}: ${html.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(status, label).toBeLessThan(500);
    expect(html, label).not.toContain('<script>alert(1)');
  }

  it('answers tampered, truncated and junk tokens with an error page, and the real link still works', async () => {
    const { path, token } = await invite(DANA);
    const tokens = [...tamperedTokens(token), ...JUNK_TOKENS];
    for (const [name, bad] of tokens) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['POST', ''],
        ['POST', '/renew'],
      ] as const) {
        const label = `${method} /i/{${name}}${suffix}`;
        const res = await send(`/i/${bad}${suffix}`, { method });
        const html = await res.text();
        tally.response('invitation-token', label, res.status);
        if (name.includes('script')) tally.escaped('invitation-token');
        expectErrorPage(res.status, html, label);
        expect(res.headers.get('set-cookie'), label).toBeNull();
        expect(res.headers.get('location'), label).toBeNull();
      }
    }
    const still = await send(path);
    expect(still.status).toBe(200);
  });

  it('refuses an expired, revoked, superseded or used link with its own page', async () => {
    const expired = await invite('expired@contoso.example');
    await service.deps.db
      .updateTable('invitations')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('consultant_id', '=', expired.consultantId)
      .execute();
    const revoked = await invite('revoked@contoso.example');
    const detail = await service.api('GET', `/api/consultants/${revoked.consultantId}`);
    await service.api('DELETE', `/api/invitations/${detail.body.invitations[0].id}`);
    const superseded = await invite('superseded@contoso.example');
    await invite('superseded@contoso.example');
    // Used: a completed sign-in, then the same link again (and its callback replayed).
    const used = await invite(DANA);
    const started = await start(used.path);
    const back = await signInWithPicker(started.location, DANA);
    const done = await send(new URL(back).pathname + new URL(back).search, { cookie: started.cookie });
    expect(done.status).toBe(200);
    const replay = await send(new URL(back).pathname + new URL(back).search, { cookie: started.cookie });
    tally.response('oauth-callback', 'replayed completed callback', replay.status);
    expectErrorPage(replay.status, await replay.text(), 'replayed callback');

    for (const [name, link, expected] of [
      ['expired', expired, /has expired/],
      ['revoked', revoked, /withdrawn/],
      ['superseded', superseded, /newer link/],
      ['used', used, /already been used/],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        const res = await send(link.path, { method });
        const html = await res.text();
        tally.response('invitation-token', `${method} ${name} link`, res.status);
        expect(res.status, name).toBe(410);
        expect(html, name).toMatch(expected);
        expect(res.headers.get('set-cookie'), name).toBeNull();
      }
    }
  });

  it('answers forged, missing and hostile callback parameters with a 4xx page, linking nothing', async () => {
    const { path } = await invite('riley.reader@contoso.example');
    for (const [prefix, startFor] of [
      ['/auth/callback', () => start(path)],
      [
        '/console/auth/callback',
        async () => {
          const res = await send('/console/sign-in', {
            method: 'POST',
            headers: { origin: service.baseUrl, 'content-type': 'application/x-www-form-urlencoded' },
            body: 'returnTo=%2Fconsole',
          });
          expect(res.status).toBe(303);
          return {
            cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!,
            state: new URL(res.headers.get('location')!).searchParams.get('state')!,
          };
        },
      ],
    ] as const) {
      for (const callback of CALLBACK_CASES) {
        const label = `${prefix} ${callback.label}`;
        const attempt = await startFor();
        const query = callback.query
          .replaceAll('{state-short}', attempt.state.slice(0, -3))
          .replaceAll('{state}', attempt.state);
        const res = await send(`${prefix}?${query}`, callback.fromStarter ? { cookie: attempt.cookie } : {});
        const html = await res.text();
        tally.response('oauth-callback', label, res.status);
        if (query.includes('%3Cscript')) tally.escaped('oauth-callback');
        expectErrorPage(res.status, html, label);
        expect(html, label).not.toContain('forged-code');
        expect(res.headers.get('location') ?? '', label).not.toContain('evil.example');
        const session = (res.headers.get('set-cookie') ?? '').match(/pal_console=[^;]+/);
        expect(session, label).toBeNull();
      }
    }
    for (const query of ADMIN_CONSENT_QUERIES) {
      const res = await send(`/auth/admin-consent?${query}`);
      const html = await res.text();
      tally.response('oauth-callback', `admin-consent ${query.slice(0, 40)}`, res.status);
      if (query.includes('%3Cscript')) tally.escaped('oauth-callback');
      expect(res.status, query).toBe(200);
      expect(html).not.toContain('<script>alert(1)');
    }
    // Nothing was linked, and the invitation still works for the right person.
    const linked = (await service.api('GET', '/api/associations')).body as { email: string }[];
    expect(linked.filter((a) => a.email === 'riley.reader@contoso.example')).toEqual([]);
    const real = await start(path);
    const back = await signInWithPicker(real.location, 'riley.reader@contoso.example');
    const page = await send(new URL(back).pathname + new URL(back).search, { cookie: real.cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Linked');
  });
});

describe('script payloads in names, on every page and in every mail', () => {
  it('shows every payload as text on every console page and invitation page', async () => {
    const built = await buildTestApp({
      config: testConfig({ PUBLIC_BASE_URL: ORIGIN }),
      azure: {
        identity: fakeIdentity({
          eve: { ...ALEX, name: SCRIPT_PAYLOADS[0]!, roles: ['PAL.Admin'], emails: ['eve@contoso.example'] },
          mal: { ...ALEX, name: SCRIPT_PAYLOADS[1]!, emails: [`${SCRIPT_PAYLOADS[1]}@evil.example`] },
        }),
      },
    });
    try {
      const { deps, app } = built;
      const consultants: string[] = [];
      for (const [i, payload] of SCRIPT_PAYLOADS.entries()) {
        const id = await addConsultant(deps, `xss${i}@contoso.example`, payload);
        consultants.push(id);
        await addCheckedLink(deps, id, [
          {
            at: '2026-11-19T05:00:00.000Z',
            verdict: 'reader_only',
            evidence: { roles: [{ roleName: payload, scope: payload, eligible: false }], message: payload },
          },
        ]);
      }
      await deps.db.updateTable('associations').set({ tenant_name: SCRIPT_PAYLOADS[2]! }).execute();
      const issued = await request(app)
        .post('/api/invitations')
        .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
        .send({ consultantIds: consultants });
      expect(issued.status).toBe(202);

      // Refused at sign-in with a hostile name and address: the refusal page names the address.
      const refused = await signIn(request.agent(app), 'mal');
      expect(refused.status).toBe(403);
      const pages: [string, string][] = [['console refusal', refused.text]];

      const browser = request.agent(app);
      expect((await signIn(browser, 'eve')).status).toBe(303);
      for (const payload of SCRIPT_PAYLOADS) {
        expect((await submit(browser, '/console/tokens', { name: payload })).status).toBe(200);
      }
      const runs = await deps.db.selectFrom('check_runs').select('id').execute();
      const ids: Record<string, string[]> = {
        '/console/consultants/:id': consultants,
        '/console/checks/:id': runs.map((r) => r.id),
        '/console/checks/:id/status': runs.map((r) => r.id),
        '/console/batches/:id': [issued.body.batchId],
        '/console/batches/:id/status': [issued.body.batchId],
      };
      const pagesToWalk = consoleRoutes(deps).filter(
        (r) => r.method === 'get' && r.path !== '/console/auth/callback',
      );
      expect(pagesToWalk.length).toBeGreaterThanOrEqual(14);
      for (const route of pagesToWalk) {
        for (const id of ids[route.path] ?? ['']) {
          const path = route.path.replace(':id', id);
          const res = await browser.get(path);
          tally.response('names', `GET ${route.path}`, res.status);
          expect(res.status, path).toBeLessThan(400);
          // CSV downloads and JSON status feeds hold the names verbatim; no browser renders them as HTML.
          if (!String(res.headers['content-type']).startsWith('text/html')) {
            expect(res.headers['x-content-type-options'], path).toBe('nosniff');
            continue;
          }
          pages.push([path, res.text]);
        }
      }
      for (const invitation of issued.body.invitations as { url: string }[]) {
        const landing = await request(app).get(new URL(invitation.url).pathname);
        tally.response('names', 'GET /i/{token}', landing.status);
        expect(landing.status).toBe(200);
        pages.push(['invitation landing', landing.text]);
      }

      for (const [where, text] of pages) {
        for (const payload of SCRIPT_PAYLOADS) {
          expect(text, `${where} shows ${payload} raw`).not.toContain(payload);
          tally.escaped('names');
        }
        expect(text, where).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      }
      // The payloads are there, as text.
      const all = pages.map(([, text]) => text).join('\n');
      expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(all).toContain('&lt;svg/onload=alert(1)&gt;');
    } finally {
      await built.close();
    }
  });

  it('escapes every payload in the HTML part of every mail and keeps it out of the headers', () => {
    const renderer = createMailRenderer({ templates: createTemplates() });
    for (const payload of SCRIPT_PAYLOADS) {
      const hostile = `${payload}\r\nBcc: victim@evil.example`;
      const mails = (['invitation', 'reminder', 'reinvite'] as const).map((kind) =>
        renderer.renderInvitationMail({
          partnerName: hostile,
          consultantName: hostile,
          locationId: '4471231',
          locationLabel: hostile,
          url: 'https://pal.contoso.example/i/tok',
          expiresAt: new Date('2026-12-04T10:00:00Z'),
          kind,
          reason: hostile,
          contactEmail: 'help@contoso.example',
        }),
      );
      mails.push(
        renderer.renderDigestMail({
          partnerName: hostile,
          headline: hostile,
          finishedAt: new Date('2026-11-20T05:00:00Z'),
          trigger: hostile,
          total: 1,
          counts: [{ label: hostile, count: 1 }],
          alerts: [{ message: hostile, tenant: hostile }],
          groups: [
            {
              label: hostile,
              tone: 'bad',
              meaning: hostile,
              automatic: hostile,
              link: 'https://pal.contoso.example/console/findings',
              items: [
                {
                  consultant: hostile,
                  email: hostile,
                  tenant: hostile,
                  change: hostile,
                  note: hostile,
                  evidence: hostile,
                },
              ],
              more: 0,
            },
          ],
          runUrl: 'https://pal.contoso.example/console/checks/1',
          consoleUrl: 'https://pal.contoso.example/console',
        }),
      );
      for (const mail of mails) {
        tally.input('mail');
        tally.escaped('mail', 2);
        expect(mail.html).not.toContain(payload);
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text).not.toMatch(/^Bcc:/m);
      }
    }
  });
});

describe('hostile headers and path tricks', () => {
  it('answers hostile headers without a 5xx and never redirects off-site', async () => {
    for (const [name, headers] of HOSTILE_HEADERS) {
      for (const target of HEADER_TARGETS) {
        const [method, path] = target.split(' ') as ['GET' | 'POST', string];
        const label = `${target} with ${name}`;
        const req = request(api.app)[method === 'GET' ? 'get' : 'post'](path!);
        for (const [header, value] of Object.entries(headers)) req.set(header, value);
        const res = await req;
        tally.response('headers', label, res.status);
        expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        const location = String(res.headers.location ?? '');
        expect(location, label).not.toContain('evil.example');
        expect(res.headers['x-request-id'] ?? '', label).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
        expect(res.text, label).not.toContain('<script>alert(1)');
      }
    }
  });

  it('keeps every path trick inside its folder and behind its guard', async () => {
    for (const path of PATH_TRICKS) {
      const res = await request(api.app).get(path);
      tally.response('path-tricks', path, res.status);
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
      expect(res.status, path).not.toBe(200);
      expect(res.text, path).not.toContain('devDependencies');
      expect(res.text, path).not.toContain('root:x:0');
      expect(res.text, path).not.toContain('keeper@contoso.example');
    }
  });
});
