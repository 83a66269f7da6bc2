import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

// The production MSAL adapter against the simulated Microsoft: the authority is the partner's own
// tenant, the scopes are OpenID only, and the ID token decides who is an admin.
let service: ServiceWithSandbox;
beforeAll(async () => {
  service = await startServiceWithSandbox();
});
afterAll(async () => {
  await service?.close();
});

async function signInAs(upn: string) {
  const browser = request.agent(service.baseUrl);
  const started = await browser.post('/console/sign-in').set('origin', service.baseUrl).type('form').send({});
  expect(started.status).toBe(303);
  const authorize = new URL(started.headers.location as string);
  const back = await signInWithPicker(authorize.toString(), upn);
  const callback = await browser.get(`${back.pathname}${back.search}`);
  return { browser, authorize, callback };
}

describe('console sign-in against the simulated Microsoft', () => {
  it('signs the seeded admin in at the partner tenant with OpenID scopes only', async () => {
    const { browser, authorize, callback } = await signInAs('alex.admin@contoso.example');
    expect(authorize.pathname).toBe(`/${service.deps.config.azure.tenantId}/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get('scope')?.split(' ').sort()).toEqual([
      'email',
      'offline_access',
      'openid',
      'profile',
    ]);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${service.baseUrl}/console/auth/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(callback.status).toBe(303);
    const dashboard = await browser.get('/console');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Alex Admin');
  });

  it('refuses a consultant of the partner tenant who is not an admin', async () => {
    const { callback } = await signInAs('riley.reader@contoso.example');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('riley.reader@contoso.example');
  });

  it('admits someone given the PAL.Admin app role through the sandbox control API', async () => {
    const control = await fetch(
      `${service.sandbox.url}/_sandbox/control/users/noor.noroles@contoso.example/app-roles`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ roles: ['PAL.Admin'] }),
      },
    );
    expect(control.status).toBe(200);
    const { browser, callback } = await signInAs('noor.noroles@contoso.example');
    expect(callback.status).toBe(303);
    expect((await browser.get('/console/settings')).status).toBe(200);
    const session = await service.deps.db
      .selectFrom('console_sessions')
      .select(['email', 'allowed_by'])
      .where('email', '=', 'noor.noroles@contoso.example')
      .executeTakeFirst();
    expect(session).toEqual({ email: 'noor.noroles@contoso.example', allowed_by: 'app_role' });
  });
});
