import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../support/app.ts';
import { ADMIN, apiRoutes, apiTestApp, concrete } from './support.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(options: Parameters<typeof apiTestApp>[0] = {}) {
  const built = await apiTestApp(options);
  close = built.close;
  return built;
}

/** The only admin API route anyone may read without a token: the API description, which holds no data. */
const PUBLIC_ROUTES = ['GET /api/openapi.json'];

describe('admin API authentication', () => {
  it('knows the routes it guards (the router walk finds the roster, token and audit routes)', async () => {
    const { deps } = await setup();
    const names = apiRoutes(deps).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/consultants',
        'GET /api/consultants/:id',
        'DELETE /api/tokens/:id',
        'GET /api/audit',
        ...PUBLIC_ROUTES,
      ]),
    );
  });

  it('refuses anonymous callers on every route but the API description, with a Bearer challenge', async () => {
    const { app, deps } = await setup();
    const guarded = apiRoutes(deps).filter(
      (r) => !PUBLIC_ROUTES.includes(`${r.method.toUpperCase()} ${r.path}`),
    );
    expect(guarded.length).toBeGreaterThan(5);
    for (const route of guarded) {
      const res = await request(app)[route.method as 'get'](concrete(route.path)).send({ email: 'x@y.co' });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="pal-manager"');
      expect(res.body.error).toEqual({
        code: 'unauthorized',
        message: 'Send Authorization: Bearer <admin API token>',
        requestId: res.headers['x-request-id'],
      });
    }
  });

  it('refuses a wrong token on every guarded route, saying the token was not recognised', async () => {
    const { app, deps } = await setup();
    const guarded = apiRoutes(deps).filter(
      (r) => !PUBLIC_ROUTES.includes(`${r.method.toUpperCase()} ${r.path}`),
    );
    for (const route of guarded) {
      const res = await request(app)
        [route.method as 'get'](concrete(route.path))
        .set('authorization', 'Bearer test-admin-token-0123456789abcdeX');
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="pal-manager", error="invalid_token"$/);
      expect(res.body.error.message).toMatch(/not recognised/);
    }
  });

  it('refuses other schemes and malformed headers', async () => {
    const { app } = await setup();
    for (const header of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer  ',
      'test-admin-token-0123456789abcdef',
      'Bearer a b',
    ]) {
      const res = await request(app).get('/api/consultants').set('authorization', header);
      expect(res.status, header).toBe(401);
    }
  });

  it('accepts the bootstrap token from ADMIN_API_TOKEN, with the scheme in any case', async () => {
    const { app } = await setup();
    expect((await request(app).get('/api/consultants').set(ADMIN)).status).toBe(200);
    const lower = await request(app)
      .get('/api/consultants')
      .set('authorization', ADMIN.authorization.replace('Bearer', 'bearer'));
    expect(lower.status).toBe(200);
  });

  it('accepts no bootstrap token at all when ADMIN_API_TOKEN is unset', async () => {
    const config = testConfig();
    const { app } = await setup({ config: { ...config, adminApiToken: undefined } });
    expect((await request(app).get('/api/consultants').set(ADMIN)).status).toBe(401);
  });

  it('serves the API description without a token', async () => {
    const { app } = await setup();
    const res = await request(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
  });

  it('answers an unknown /api route with 404 to an admin and 401 to anyone else', async () => {
    const { app } = await setup();
    expect((await request(app).get('/api/no-such-thing')).status).toBe(401);
    const res = await request(app).get('/api/no-such-thing').set(ADMIN);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('blocks an address after 30 failed attempts in 5 minutes, even its valid token, with 429', async () => {
    const { app } = await setup();
    for (let attempt = 1; attempt <= 30; attempt++) {
      const res = await request(app).get('/api/consultants').set('authorization', `Bearer wrong-${attempt}`);
      expect(res.status).toBe(401);
    }
    const blocked = await request(app).get('/api/consultants').set('authorization', 'Bearer wrong-31');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.headers['www-authenticate']).toBeUndefined();
    const valid = await request(app).get('/api/consultants').set(ADMIN);
    expect(valid.status).toBe(429);
  });

  it('does not count successful requests against the failure limit', async () => {
    const { app } = await setup();
    for (let i = 0; i < 40; i++) {
      expect((await request(app).get('/api/consultants').set(ADMIN)).status).toBe(200);
    }
    const wrong = await request(app).get('/api/consultants').set('authorization', 'Bearer wrong');
    expect(wrong.status).toBe(401);
  });
});
