import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS } from '../../src/console/sessions/service.ts';
import { consolePerTest, csrfFrom, ORIGIN, sessionCookieOf, signedIn, signIn, submit } from './support.ts';

const setup = consolePerTest();

async function auditActions(deps: Awaited<ReturnType<typeof setup>>['deps']) {
  const rows = await deps.db.selectFrom('audit_events').select(['action', 'actor']).orderBy('at').execute();
  return rows.map((row) => `${row.action} ${row.actor}`);
}

describe('signing in to the console', () => {
  it('sends an anonymous visitor to sign in, and back to the page they wanted afterwards', async () => {
    const { agent } = await setup();
    const browser = agent();
    const first = await browser.get('/console/findings?verdict=reader_only');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(
      '/console/sign-in?returnTo=%2Fconsole%2Ffindings%3Fverdict%3Dreader_only',
    );
    const page = await browser.get(first.headers.location as string);
    expect(page.text).toContain('Sign in with Microsoft');
    const callback = await signIn(browser, 'alex', '/console/findings?verdict=reader_only');
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/console/findings?verdict=reader_only');
    const findings = await browser.get('/console/findings?verdict=reader_only');
    expect(findings.status).toBe(200);
    expect(findings.text).toContain('Alex Admin');
  });

  it('asks Microsoft with PKCE, state and nonce, and binds them to the browser that started', async () => {
    const { agent } = await setup();
    const started = await agent().post('/console/sign-in').set('origin', ORIGIN).type('form').send({});
    const authorize = new URL(started.headers.location as string);
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(started.headers['set-cookie']?.[0]).toMatch(
      /^pal_console_signin=[\w-]{43}; Max-Age=900; Path=\/console\/auth; Expires=.*; HttpOnly; SameSite=Lax$/,
    );
    // The same callback from a browser without that cookie is refused and signs nobody in.
    const elsewhere = await agent()
      .get('/console/auth/callback')
      .query({ code: 'alex', state: authorize.searchParams.get('state')! });
    expect(elsewhere.status).toBe(400);
    expect(sessionCookieOf(elsewhere)).toBeUndefined();
  });

  it('admits an address in ADMIN_EMAILS and someone holding the PAL.Admin app role', async () => {
    const { agent, deps } = await setup();
    for (const who of ['alex', 'pat']) {
      const browser = agent();
      await signedIn(browser, who);
      expect((await browser.get('/console')).status).toBe(200);
    }
    const sessions = await deps.db
      .selectFrom('console_sessions')
      .select(['email', 'allowed_by'])
      .orderBy('email')
      .execute();
    expect(sessions).toEqual([
      { email: 'alex.admin@contoso.example', allowed_by: 'admin_emails' },
      { email: 'pat.role@contoso.example', allowed_by: 'app_role' },
    ]);
  });

  it('refuses anyone else with a clear 403 page, audits it, and starts no session', async () => {
    const { agent, deps } = await setup();
    const browser = agent();
    const callback = await signIn(browser, 'dana');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('This account is not a PAL Manager admin');
    expect(callback.text).toContain('dana.contributor@contoso.example');
    expect(sessionCookieOf(callback)).toBeUndefined();
    expect((await browser.get('/console')).status).toBe(303);
    expect(await auditActions(deps)).toEqual([
      'console.sign_in_refused console:dana.contributor@contoso.example',
    ]);
  });

  it('says so when the admin cancels at Microsoft, and when a callback is replayed', async () => {
    const { agent } = await setup();
    const browser = agent();
    const started = await browser.post('/console/sign-in').set('origin', ORIGIN).type('form').send({});
    const state = new URL(started.headers.location as string).searchParams.get('state')!;
    const cancelled = await browser.get('/console/auth/callback').query({ state, error: 'access_denied' });
    expect(cancelled.text).toContain('Sign-in was cancelled');
    const replayed = await browser.get('/console/auth/callback').query({ state, code: 'alex' });
    expect(replayed.status).toBe(400);
    expect(sessionCookieOf(replayed)).toBeUndefined();
  });

  it('refuses a sign-in start posted from another site', async () => {
    const { agent } = await setup();
    const forged = await agent()
      .post('/console/sign-in')
      .set('origin', 'https://evil.example')
      .type('form')
      .send({});
    expect(forged.status).toBe(403);
    expect(forged.headers.location).toBeUndefined();
  });

  it('never sends the admin anywhere but a console page afterwards', async () => {
    const { agent } = await setup();
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example/console',
      '/console\\@evil.example',
      '/api/audit',
    ]) {
      const callback = await signIn(agent(), 'alex', returnTo);
      expect(callback.headers.location, returnTo).toBe('/console');
    }
  });

  it('rate-limits sign-in starts from one address', async () => {
    const { app } = await setup();
    let last = 0;
    for (let i = 0; i < 21; i++) {
      last = (await request(app).post('/console/sign-in').set('origin', ORIGIN).type('form').send({})).status;
    }
    expect(last).toBe(429);
  });
});

describe('the console session', () => {
  it('is a random ID in an HttpOnly, SameSite=Lax cookie; only its hash is stored', async () => {
    const { agent, deps } = await setup();
    const callback = await signIn(agent(), 'alex');
    const cookie = sessionCookieOf(callback)!;
    expect(cookie.raw).toMatch(/^pal_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const stored = await deps.db.selectFrom('console_sessions').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id_hash).not.toContain(cookie.value);
    expect(JSON.stringify(stored)).not.toContain(cookie.value);
  });

  it('uses a __Host- cookie with Secure over HTTPS', async () => {
    const { agent } = await setup({ PUBLIC_BASE_URL: 'https://pal.contoso.example' });
    const browser = agent();
    const started = await browser
      .post('/console/sign-in')
      .set('origin', 'https://pal.contoso.example')
      .type('form')
      .send({});
    expect(started.headers['set-cookie']?.[0]).toContain('; Secure');
    const state = new URL(started.headers.location as string).searchParams.get('state')!;
    const secret = /pal_console_signin=([^;]+)/.exec(started.headers['set-cookie']![0]!)![1]!;
    const callback = await browser
      .get('/console/auth/callback')
      .set('cookie', `pal_console_signin=${secret}`)
      .query({ state, code: 'alex' });
    const cookie = sessionCookieOf(callback, '__Host-pal_console')!;
    expect(cookie.raw).toMatch(/^__Host-pal_console=[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('gets a new ID at sign-in: an ID planted before sign-in never becomes a signed-in session', async () => {
    const { agent, app } = await setup();
    const victim = await signedIn(agent());
    const planted = 'planted-session-id-0123456789abcdefghijklmno';
    const browser = agent();
    await browser.get('/console').set('cookie', `pal_console=${planted}`);
    const callback = await signIn(browser, 'alex');
    const issued = sessionCookieOf(callback)!.value;
    expect(issued).not.toBe(planted);
    expect((await request(app).get('/console').set('cookie', `pal_console=${planted}`)).status).toBe(303);
    // Signing in again replaces the browser's own session too: the old ID stops working.
    const before = sessionCookieOf(await signIn(victim, 'alex'))!.value;
    const again = sessionCookieOf(await signIn(victim, 'alex'))!.value;
    expect(again).not.toBe(before);
    expect((await request(app).get('/console').set('cookie', `pal_console=${before}`)).status).toBe(303);
    expect((await request(app).get('/console').set('cookie', `pal_console=${again}`)).status).toBe(200);
  });

  it('ends after 8 idle hours', async () => {
    const { agent, clock } = await setup();
    const browser = await signedIn(agent());
    clock.advance(IDLE_TIMEOUT_MS - 60_000);
    expect((await browser.get('/console')).status).toBe(200);
    clock.advance(IDLE_TIMEOUT_MS - 60_000);
    expect((await browser.get('/console')).status).toBe(200);
    clock.advance(IDLE_TIMEOUT_MS + 1);
    expect((await browser.get('/console')).status).toBe(303);
  });

  it('ends 7 days after sign-in however busy the admin is', async () => {
    const { agent, clock } = await setup();
    const browser = await signedIn(agent());
    const step = IDLE_TIMEOUT_MS / 2;
    for (let elapsed = step; elapsed < ABSOLUTE_LIFETIME_MS; elapsed += step) {
      clock.advance(step);
      expect((await browser.get('/console')).status).toBe(200);
    }
    clock.advance(step);
    expect((await browser.get('/console')).status).toBe(303);
  });

  it('ends at once for an admin taken off ADMIN_EMAILS', async () => {
    const { agent, deps } = await setup();
    const browser = await signedIn(agent());
    deps.config.adminEmails.splice(0);
    const after = await browser.get('/console');
    expect(after.status).toBe(303);
    expect(await deps.db.selectFrom('console_sessions').selectAll().execute()).toHaveLength(0);
  });

  it('signs out: the session row is deleted, so the old cookie is worthless', async () => {
    const { agent, app, deps } = await setup();
    const browser = agent();
    const cookie = sessionCookieOf(await signIn(browser, 'alex'))!.value;
    const out = await submit(browser, '/console/sign-out');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/console/sign-in?notice=signed_out');
    expect(out.headers['set-cookie']?.[0]).toMatch(/^pal_console=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect((await browser.get(out.headers.location as string)).text).toContain('You are signed out');
    expect((await request(app).get('/console').set('cookie', `pal_console=${cookie}`)).status).toBe(303);
    expect(await deps.db.selectFrom('console_sessions').selectAll().execute()).toHaveLength(0);
    expect(await auditActions(deps)).toEqual([
      'console.signed_in console:alex.admin@contoso.example',
      'console.signed_out console:alex.admin@contoso.example',
    ]);
  });

  it('gives each session its own form token', async () => {
    const { agent } = await setup();
    const one = await csrfFrom(await signedIn(agent()));
    const two = await csrfFrom(await signedIn(agent()));
    expect(one).not.toBe(two);
  });
});
