import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { consolePerTest, consoleRoutes, csrfFrom, ORIGIN, signedIn } from './support.ts';

const setup = consolePerTest();

/** The only console routes anyone may reach without a session: the sign-in page, its start and the callback. */
const PUBLIC = ['GET /console/sign-in', 'POST /console/sign-in', 'GET /console/auth/callback'];

const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, randomUUID());
const name = (route: { method: string; path: string }) => `${route.method.toUpperCase()} ${route.path}`;

describe('every console route refuses anonymous callers', () => {
  it('knows the pages it guards (the router walk finds them all)', async () => {
    const { deps } = await setup();
    const names = consoleRoutes(deps).map(name);
    expect(names).toEqual(
      expect.arrayContaining([
        ...PUBLIC,
        'GET /console',
        'POST /console/sign-out',
        'GET /console/consultants',
        'POST /console/consultants/import',
        'GET /console/consultants/:id',
        'POST /console/consultants/:id/offboard',
        'POST /console/consultants/:id/reinstate',
        'POST /console/invitations/:id/revoke',
        'GET /console/findings',
        'GET /console/findings.csv',
        'POST /console/findings/:id/acknowledge',
        'GET /console/batches/:id/status',
        'GET /console/checks/:id',
        'GET /console/audit',
        'GET /console/settings',
        'POST /console/tokens',
      ]),
    );
  });

  it('sends anonymous page requests to sign in, answers JSON with 401, and refuses every POST', async () => {
    const { app, deps } = await setup();
    const guarded = consoleRoutes(deps).filter((route) => !PUBLIC.includes(name(route)));
    expect(guarded.length).toBeGreaterThan(20);
    for (const route of guarded) {
      const path = concrete(route.path);
      if (route.method === 'get') {
        const page = await request(app).get(path);
        expect(page.status, name(route)).toBe(303);
        expect(page.headers.location, name(route)).toBe(
          `/console/sign-in?returnTo=${encodeURIComponent(path)}`,
        );
        const json = await request(app).get(path).set('accept', 'application/json');
        expect(json.status, name(route)).toBe(401);
        expect(json.body.error.code).toBe('unauthorized');
      } else {
        const posted = await request(app)
          [route.method as 'post'](path)
          .set('origin', ORIGIN)
          .type('form')
          .send({ email: 'x@y.co' });
        expect(posted.status, name(route)).toBe(401);
        expect(posted.text).toContain('Sign in first');
      }
    }
    // Nothing was written on the way: no consultant, no token, no audit event.
    expect(await deps.db.selectFrom('consultants').selectAll().execute()).toHaveLength(0);
    expect(await deps.db.selectFrom('audit_events').selectAll().execute()).toHaveLength(0);
  });

  it('sends a visitor of the service root to the console, hence to sign in', async () => {
    const { app } = await setup();
    const root = await request(app).get('/');
    expect(root.status).toBe(303);
    expect(root.headers.location).toBe('/console');
  });

  it('guards paths that match no page as well', async () => {
    const { app } = await setup();
    expect((await request(app).get('/console/nothing-here')).status).toBe(303);
    expect((await request(app).post('/console/nothing-here')).status).toBe(401);
  });

  it('refuses a forged or expired session cookie like no cookie at all', async () => {
    const { app } = await setup();
    const page = await request(app).get('/console').set('cookie', 'pal_console=not-a-session');
    expect(page.status).toBe(303);
    expect(page.headers['set-cookie']?.[0]).toMatch(/^pal_console=;/);
  });
});

describe('CSRF protection on console forms', () => {
  const form = { name: 'ci-import' };

  it('accepts a form from our own page with the session token', async () => {
    const { agent } = await setup();
    const browser = await signedIn(agent());
    const token = await csrfFrom(browser, '/console/tokens');
    const created = await browser
      .post('/console/tokens')
      .set('origin', ORIGIN)
      .type('form')
      .send({ ...form, _csrf: token });
    expect(created.status).toBe(200);
    expect(created.text).toContain('shown this once');
  });

  it('refuses a form without the token, or with a wrong one, and changes nothing', async () => {
    const { agent, deps } = await setup();
    const browser = await signedIn(agent());
    const token = await csrfFrom(browser);
    const forged = [undefined, '', 'x'.repeat(64), `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`];
    for (const _csrf of forged) {
      const refused = await browser
        .post('/console/tokens')
        .set('origin', ORIGIN)
        .type('form')
        .send({ ...form, ...(_csrf === undefined ? {} : { _csrf }) });
      expect(refused.status, String(_csrf)).toBe(403);
      expect(refused.text).toContain('This form has expired or was not sent from a PAL Manager page');
    }
    expect(await deps.db.selectFrom('api_tokens').selectAll().execute()).toHaveLength(0);
  });

  it('refuses another session’s token', async () => {
    const { agent } = await setup();
    const mine = await signedIn(agent());
    const theirs = await csrfFrom(await signedIn(agent()));
    const refused = await mine
      .post('/console/tokens')
      .set('origin', ORIGIN)
      .type('form')
      .send({ ...form, _csrf: theirs });
    expect(refused.status).toBe(403);
  });

  it('refuses a foreign Origin even with the right token, and a POST with neither Origin nor Referer', async () => {
    const { agent, deps } = await setup();
    const browser = await signedIn(agent());
    const token = await csrfFrom(browser);
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3001']) {
      const refused = await browser
        .post('/console/tokens')
        .set('origin', origin)
        .type('form')
        .send({ ...form, _csrf: token });
      expect(refused.status, origin).toBe(403);
      expect(refused.text).toContain('not sent from a PAL Manager page');
    }
    const bare = await browser
      .post('/console/tokens')
      .type('form')
      .send({ ...form, _csrf: token });
    expect(bare.status).toBe(403);
    const viaReferer = await browser
      .post('/console/tokens')
      .set('referer', `${ORIGIN}/console/tokens`)
      .type('form')
      .send({ ...form, _csrf: token });
    expect(viaReferer.status).toBe(200);
    expect(await deps.db.selectFrom('api_tokens').selectAll().execute()).toHaveLength(1);
  });

  it('checks the token of a multipart upload too', async () => {
    const { agent } = await setup();
    const browser = await signedIn(agent());
    const refused = await browser
      .post('/console/consultants/import')
      .set('origin', ORIGIN)
      .attach('file', Buffer.from('email\nriley@contoso.example\n'), 'roster.csv');
    expect(refused.status).toBe(403);
  });

  it('serves console pages with same-origin referrers and a CSP without inline script', async () => {
    const { agent } = await setup();
    const page = await (await signedIn(agent())).get('/console');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\sstyle="/);
  });
});
