import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createTokenCacheStore } from '../../src/azure/token-cache-store.ts';
import type { Deps } from '../../src/deps.ts';
import { parseEncryptionKeys } from '../../src/platform/config/schema.ts';
import { createSealedBox } from '../../src/platform/crypto/sealed-box.ts';
import { createTokenHasher } from '../../src/platform/crypto/secret-tokens.ts';
import { seedRoster } from '../console/seed.ts';
import { ALEX, consoleRoutes, fakeIdentity, PAT_WITH_ROLE, signedIn } from '../console/support.ts';
import { healthApp, LINKED, person, subscriptionList } from '../health/support.ts';
import { buildTestApp, TEST_ADMIN_TOKEN, testConfig } from '../support/app.ts';

/**
 * The security bars of DESIGN.md §10 that the older suites do not already prove: the headers of every
 * HTML page, the flags of every cookie, the sandbox's absence in production, the per-address limits
 * of the public endpoints, and key rotation. (Route guards: tests/api/auth.test.ts and
 * tests/console/guard.test.ts; CSRF: tests/console/guard.test.ts; tokens stored as hashes:
 * tests/onboarding/sign-in.test.ts, tests/console/sign-in.test.ts; logs: tests/hardening/logs.test.ts.)
 */

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** A console and onboarding app whose fake Microsoft also starts consultant sign-ins. */
async function app(env: Record<string, string> = {}) {
  const origin = env.PUBLIC_BASE_URL ?? 'http://localhost:3000';
  const identity = {
    ...fakeIdentity({ alex: ALEX, pat: PAT_WITH_ROLE }),
    authorizeUrl: async (start: { state: string }) => `https://login.example/authorize?state=${start.state}`,
  };
  const built = await buildTestApp({
    config: testConfig({ PUBLIC_BASE_URL: origin, ...env }),
    azure: { identity },
  });
  const invite = async (email: string) => {
    const created = await request(built.app).post('/api/consultants').set(ADMIN).send({ email });
    const issued = await request(built.app)
      .post('/api/invitations')
      .set(ADMIN)
      .send({ consultantIds: [created.body.id] });
    return new URL(issued.body.invitations[0].url as string).pathname;
  };
  return { ...built, origin, invite };
}

/** Every HTML page the service serves, signed in where the page needs it. */
async function htmlPages(built: Awaited<ReturnType<typeof app>>) {
  const { deps } = built;
  const seeded = await seedRoster(deps);
  const path = await built.invite('hana@contoso.example');
  const browser = await signedIn(request.agent(built.app));
  const responses: [string, request.Response][] = [];
  const anonymous = ['/console/sign-in', path, '/i/unknown-token', '/auth/admin-consent?admin_consent=True'];
  for (const page of anonymous) responses.push([page, await request(built.app).get(page)]);
  responses.push(['callback problem', await request(built.app).get('/auth/callback?state=x&code=y')]);
  responses.push([
    'console callback problem',
    await request(built.app).get('/console/auth/callback?state=x'),
  ]);
  for (const route of consoleRoutes(deps).filter((r) => r.method === 'get' && !r.path.includes('auth'))) {
    if (route.path.includes(':id') && !route.path.startsWith('/console/consultants/')) continue;
    const page = route.path.replace(':id', seeded.riley);
    responses.push([page, await browser.get(page)]);
  }
  return responses.filter(([, res]) => String(res.headers['content-type']).startsWith('text/html'));
}

describe('security headers on every HTML page', () => {
  it('sends a strict CSP, no-store, nosniff and no framing on every page', async () => {
    const built = await app();
    try {
      const pages = await htmlPages(built);
      expect(pages.length).toBeGreaterThanOrEqual(13);
      for (const [path, res] of pages) {
        const csp = String(res.headers['content-security-policy']);
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "object-src 'none'",
          "form-action 'self'",
        ]) {
          expect(csp, `${path}: ${directive}`).toContain(directive);
        }
        expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
        expect(res.headers['x-content-type-options'], path).toBe('nosniff');
        expect(res.headers['x-frame-options'], path).toBe('SAMEORIGIN');
        expect(['no-referrer', 'same-origin'], path).toContain(res.headers['referrer-policy']);
        expect(res.headers['cache-control'], path).toBe('no-store');
        expect(res.headers['strict-transport-security'], path).toBeUndefined();
        expect(res.text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      }
    } finally {
      await built.close();
    }
  });

  it('adds HSTS and upgrade-insecure-requests when PUBLIC_BASE_URL is https', async () => {
    const built = await app({ PUBLIC_BASE_URL: 'https://pal.contoso.example' });
    try {
      for (const path of ['/console/sign-in', '/i/unknown-token', '/healthz']) {
        const res = await request(built.app).get(path);
        expect(res.headers['strict-transport-security'], path).toMatch(/^max-age=\d{7,}/);
        expect(res.headers['content-security-policy'], path).toContain('upgrade-insecure-requests');
      }
    } finally {
      await built.close();
    }
  });
});

describe('cookie flags', () => {
  /** Every cookie the service sets on the way through a consultant's and an admin's sign-in. */
  async function cookiesSet(built: Awaited<ReturnType<typeof app>>) {
    const path = await built.invite('ivy@contoso.example');
    const consultant = await request(built.app).post(path);
    expect(consultant.status).toBe(303);
    const adminStart = await request(built.app)
      .post('/console/sign-in')
      .set('origin', built.origin)
      .type('form')
      .send({});
    const state = new URL(adminStart.headers.location as string).searchParams.get('state')!;
    const signInCookie = String(adminStart.headers['set-cookie']).split(';')[0]!;
    const callback = await request(built.app)
      .get('/console/auth/callback')
      .set('cookie', signInCookie)
      .query({ code: 'alex', state });
    expect(callback.status).toBe(303);
    return [consultant, adminStart, callback].flatMap(
      (res) => (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [],
    );
  }

  it('over http: every cookie HttpOnly and SameSite=Lax, scoped to its path', async () => {
    const built = await app();
    try {
      const cookies = await cookiesSet(built);
      const names = cookies.map((c) => c.split('=')[0]);
      expect(names).toEqual(expect.arrayContaining(['pal_signin', 'pal_console_signin', 'pal_console']));
      for (const cookie of cookies) {
        expect(cookie).toMatch(/; HttpOnly/);
        expect(cookie).toMatch(/; SameSite=Lax/);
        expect(cookie).not.toMatch(/; Domain=/i);
      }
      expect(cookies.find((c) => c.startsWith('pal_signin='))).toMatch(/; Path=\/auth;/);
      expect(
        cookies.find((c) => c.startsWith('pal_console_signin=') && !c.startsWith('pal_console_signin=;')),
      ).toMatch(/; Path=\/console\/auth;/);
    } finally {
      await built.close();
    }
  });

  it('over https: every cookie also Secure, the session a __Host- cookie', async () => {
    const built = await app({ PUBLIC_BASE_URL: 'https://pal.contoso.example' });
    try {
      const cookies = await cookiesSet(built);
      expect(cookies.length).toBeGreaterThanOrEqual(3);
      for (const cookie of cookies) {
        expect(cookie).toMatch(/; HttpOnly/);
        expect(cookie).toMatch(/; Secure/);
        expect(cookie).toMatch(/; SameSite=Lax/);
      }
      expect(cookies.some((c) => c.startsWith('__Host-pal_console='))).toBe(true);
    } finally {
      await built.close();
    }
  });
});

describe('the sandbox in production', () => {
  it('exposes no sandbox route when the sandbox is off', async () => {
    const built = await buildTestApp({
      config: testConfig({
        SANDBOX: 'false',
        AZURE_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
        AZURE_TENANT_ID: '11111111-2222-3333-4444-555555555555',
        PARTNER_NAME: 'Contoso',
        PARTNER_GLOBAL_ID: '123455',
        PARTNER_LOCATION_IDS: '123456:United Kingdom',
      }),
    });
    try {
      for (const path of [
        '/sandbox/mailbox',
        '/_sandbox/control/world',
        '/_sandbox/control/reset',
        '/organizations/oauth2/v2.0/authorize',
        '/tenants',
      ]) {
        for (const method of ['get', 'post'] as const) {
          const res = await request(built.app)[method](path);
          expect(res.status, `${method} ${path}`).toBe(404);
        }
      }
    } finally {
      await built.close();
    }
  });

  it('never mounts the simulated Microsoft or its control API on the service, even in the sandbox', async () => {
    const built = await buildTestApp();
    try {
      for (const path of [
        '/_sandbox/control/world',
        '/_sandbox/control/calls',
        '/common/discovery/instance',
      ]) {
        expect((await request(built.app).get(path)).status, path).toBe(404);
      }
    } finally {
      await built.close();
    }
  });
});

describe('rate limits on the public endpoints', () => {
  const LIMITS: [string, 'get' | 'post', number][] = [
    ['/i/{token}', 'get', 60],
    ['/i/{token}', 'post', 20],
    ['/i/{token}/renew', 'post', 10],
    ['/auth/callback', 'get', 30],
    ['/auth/decide', 'post', 20],
    ['/auth/continue', 'post', 20],
    ['/console/auth/callback', 'get', 30],
  ];

  it('answers the request past each limit from one address with 429, and other addresses still get through', async () => {
    const built = await app();
    try {
      const path = await built.invite('lim@contoso.example');
      const token = path.split('/').pop()!;
      for (const [route, method, limit] of LIMITS) {
        const url = route.replace('{token}', `${token}x`);
        const address = `10.77.${LIMITS.findIndex(([r, m]) => r === route && m === method)}.1`;
        const statuses: number[] = [];
        for (let i = 0; i <= limit; i++) {
          statuses.push((await request(built.app)[method](url).set('x-forwarded-for', address)).status);
        }
        expect(
          statuses.slice(0, limit).every((s) => s !== 429),
          `${method} ${route}`,
        ).toBe(true);
        expect(statuses[limit], `${method} ${route}`).toBe(429);
        const blocked = await request(built.app)[method](url).set('x-forwarded-for', address);
        expect(blocked.headers['ratelimit-policy'] ?? blocked.headers.ratelimit, route).toBeDefined();
        expect(blocked.text, route).toMatch(/Too many/);
        const other = await request(built.app)[method](url).set('x-forwarded-for', '10.78.0.1');
        expect(other.status, `${method} ${route} from another address`).not.toBe(429);
      }
    } finally {
      await built.close();
    }
  });
});

describe('key rotation', () => {
  const keyA = `a:${randomBytes(32).toString('base64')}`;
  const keyB = `b:${randomBytes(32).toString('base64')}`;
  const keys = (raw: string) => {
    const parsed = parseEncryptionKeys(raw);
    if (typeof parsed === 'string') throw new Error(parsed);
    return parsed;
  };
  /** The same database served with another key list, as after a restart with a new TOKEN_ENCRYPTION_KEY. */
  const withKeys = (deps: Deps, raw: string): Deps => ({
    ...deps,
    config: { ...deps.config, tokenEncryptionKeys: keys(raw) },
    tokenHasher: createTokenHasher(keys(raw)),
    sealedBox: createSealedBox(keys(raw)),
  });

  it('keeps links and token caches made under the old key working, makes new ones under the new key', async () => {
    const built = await buildTestApp({ config: testConfig({ TOKEN_ENCRYPTION_KEY: keyA }) });
    try {
      const before = createApp(built.deps);
      const created = await request(before)
        .post('/api/consultants')
        .set(ADMIN)
        .send({ email: 'rot@contoso.example' });
      const issued = await request(before)
        .post('/api/invitations')
        .set(ADMIN)
        .send({ consultantIds: [created.body.id] });
      const oldLink = new URL(issued.body.invitations[0].url as string).pathname;
      const cachesA = createTokenCacheStore(built.deps);
      await cachesA.save('acct-1', created.body.id, '{"refresh":"rt-secret"}');

      const rotated = withKeys(built.deps, `${keyB},${keyA}`);
      const after = createApp(rotated);
      expect((await request(after).get(oldLink)).status).toBe(200);
      const cachesB = createTokenCacheStore(rotated);
      expect(await cachesB.load('acct-1')).toBe('{"refresh":"rt-secret"}');
      await cachesB.save('acct-1', created.body.id, '{"refresh":"rt-rotated"}');
      const row = await built.deps.db.selectFrom('token_caches').selectAll().executeTakeFirstOrThrow();
      expect(row.key_id).toBe('b');
      expect(row.data).not.toContain('rt-rotated');

      const other = await request(after)
        .post('/api/consultants')
        .set(ADMIN)
        .send({ email: 'new@contoso.example' });
      await request(after)
        .post('/api/invitations')
        .set(ADMIN)
        .send({ consultantIds: [other.body.id] });
      const newRow = await built.deps.db
        .selectFrom('invitations')
        .select('token_key_id')
        .where('consultant_id', '=', other.body.id)
        .executeTakeFirstOrThrow();
      expect(newRow.token_key_id).toBe('b');

      // Once the old key is removed, its links are refused with the "not valid" page, not an error.
      const retired = createApp(withKeys(built.deps, keyB));
      const dead = await request(retired).get(oldLink);
      expect(dead.status).toBe(404);
      expect(dead.text).toContain('This link is not valid');
    } finally {
      await built.close();
    }
  });

  it('turns a token cache sealed under a removed key into "sign-in needed", not a crash', async () => {
    const health = await healthApp();
    try {
      // Microsoft would answer normally; the check must not even get that far without a readable cache.
      const consultantId = await health.signedIn(person(1), {
        token: 'ok',
        link: LINKED,
        subscriptions: () => subscriptionList(),
        assignments: () => [200, { value: [] }],
      });
      const store = createTokenCacheStore(health.deps);
      const row = await health.deps.db.selectFrom('token_caches').selectAll().executeTakeFirstOrThrow();
      const plaintext = (await store.load(row.account_key))!;
      const removed = createSealedBox(keys(`gone:${randomBytes(32).toString('base64')}`));
      const sealed = removed.seal(plaintext, `token-cache:${row.account_key}`);
      await health.deps.db
        .updateTable('token_caches')
        .set({ key_id: sealed.keyId, data: sealed.data })
        .where('account_key', '=', row.account_key)
        .execute();

      const report = await health.check();
      expect(report.total).toBe(1);
      const association = await health.association(consultantId);
      expect(association.verdict).toBe('reauth_required');
    } finally {
      await health.close();
    }
  });
});
