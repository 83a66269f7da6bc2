import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { issueAccessToken } from '../../src/sandbox/tokens.ts';
import { BUILTIN_ROLES } from '../../src/sandbox/world/builtin-roles.ts';
import { DEFAULT_KNOBS } from '../../src/sandbox/world/model.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { startTestSandbox } from '../support/sandbox.ts';

const AUTHZ = 'providers/Microsoft.Authorization';

describe('simulated Resource Manager: what it checks and how it refuses', () => {
  let sandbox: RunningSandbox;
  const guest = (key: keyof typeof SEED.users, tenant: keyof typeof SEED.tenants) => {
    const user = sandbox.world.userByUpn(`${SEED.users[key]}@contoso.example`)!;
    return {
      tenantId: SEED.tenants[tenant],
      objectId: sandbox.world.identity(user.id, SEED.tenants[tenant])!.objectId,
    };
  };
  const get = async (caller: { tenantId: string; objectId: string } | undefined, path: string) => {
    const headers: Record<string, string> = {};
    if (caller) headers.authorization = `Bearer ${await issueAccessToken(sandbox.context, caller)}`;
    const response = await fetch(`${sandbox.url}${path}`, { headers });
    return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());
  afterEach(() => {
    sandbox.world.change((state) => Object.assign(state.knobs, DEFAULT_KNOBS));
  });

  it('refuses a call without api-version, as ARM does, before looking at the token', async () => {
    const response = await get(undefined, '/subscriptions');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('MissingApiVersionParameter');
  });

  it('refuses ManagementPartner api-versions that do not exist', async () => {
    const response = await get(
      guest('dana', 'fabrikam'),
      '/providers/Microsoft.ManagementPartner/partners?api-version=2020-01-01',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('NoRegisteredProviderFound');
  });

  it('answers a missing or forged token with 401 InvalidAuthenticationToken and a challenge', async () => {
    const missing = await get(undefined, '/tenants?api-version=2022-12-01');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: { code: 'InvalidAuthenticationToken', message: expect.any(String) },
    });
    expect(missing.headers.get('www-authenticate')).toMatch(
      /^Bearer authorization_uri="https:\/\/localhost:\d+\/", error="invalid_token"/,
    );
    const forged = await fetch(`${sandbox.url}/tenants?api-version=2022-12-01`, {
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(forged.status).toBe(401);
  });

  it('throttles with 429 TooManyRequests and Retry-After from the knobs', async () => {
    sandbox.world.change((state) => Object.assign(state.knobs, { throttleRate: 1, retryAfterSeconds: 7 }));
    const response = await get(guest('dana', 'fabrikam'), '/subscriptions?api-version=2022-12-01');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.body.error.code).toBe('TooManyRequests');
  });

  it('waits the configured latency before answering', async () => {
    sandbox.world.change((state) => Object.assign(state.knobs, { latencyMs: 150 }));
    const started = performance.now();
    await get(guest('dana', 'fabrikam'), '/tenants?api-version=2022-12-01');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('keeps faults to ARM: the control API still answers when every ARM call fails', async () => {
    sandbox.world.change((state) => Object.assign(state.knobs, { serverErrorRate: 1 }));
    const arm = await get(guest('dana', 'fabrikam'), '/tenants?api-version=2022-12-01');
    expect([500, 503]).toContain(arm.status);
    expect((await fetch(`${sandbox.url}/_sandbox/control/calls`)).status).toBe(200);
  });

  it('refuses a subscription of another tenant with 401 InvalidAuthenticationTokenTenant', async () => {
    const response = await get(
      guest('dana', 'northwind'),
      `/subscriptions/${SEED.subscriptions.fabrikamProduction}/${AUTHZ}/roleAssignments?api-version=2022-04-01`,
    );
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('InvalidAuthenticationTokenTenant');
    expect(response.headers.get('www-authenticate')).toContain(`/${SEED.tenants.fabrikam}"`);
  });

  it('answers 404 SubscriptionNotFound for a subscription nobody has', async () => {
    const response = await get(
      guest('dana', 'fabrikam'),
      `/subscriptions/00000000-0000-0000-0000-000000000000/${AUTHZ}/roleAssignments?api-version=2022-04-01`,
    );
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('SubscriptionNotFound');
  });

  it('refuses to list assignments for a caller with no access to the subscription (403)', async () => {
    const noor = guest('noor', 'fabrikam');
    const response = await get(
      noor,
      `/subscriptions/${SEED.subscriptions.fabrikamProduction}/${AUTHZ}/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`assignedTo('${noor.objectId}')`)}`,
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('AuthorizationFailed');
  });

  it('lists resource-group assignments under a subscription, and atScope() leaves them out', async () => {
    const riley = guest('riley', 'fabrikam');
    const list = (filter: string) =>
      get(
        riley,
        `/subscriptions/${SEED.subscriptions.fabrikamDevelopment}/${AUTHZ}/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(filter)}`,
      );
    const all = await list(`assignedTo('${riley.objectId}')`);
    expect(all.body.value.map((a: { properties: { scope: string } }) => a.properties.scope)).toEqual([
      `/subscriptions/${SEED.subscriptions.fabrikamDevelopment}/resourceGroups/rg-shared`,
    ]);
    expect((await list(`atScope() and assignedTo('${riley.objectId}')`)).body.value).toEqual([]);
    expect((await list(`roleName eq 'Reader'`)).body.error.code).toBe('UnsupportedQuery');
  });

  it('serves custom roles only in their own tenant', async () => {
    const customRole = 'c0ffee00-0000-4000-8000-fab0000000c1';
    const inFabrikam = await get(
      guest('taylor', 'fabrikam'),
      `/${AUTHZ}/roleDefinitions/${customRole}?api-version=2022-04-01`,
    );
    expect(inFabrikam.body.properties).toMatchObject({
      roleName: 'Fabrikam VM Operator',
      type: 'CustomRole',
    });
    const inTailspin = await get(
      guest('taylor', 'tailspin'),
      `/${AUTHZ}/roleDefinitions/${customRole}?api-version=2022-04-01`,
    );
    expect(inTailspin.status).toBe(404);
    expect(inTailspin.body.error.code).toBe('RoleDefinitionDoesNotExist');
  });

  it('counts calls by operation and tenant, and role-definition reads per ID per tenant', async () => {
    sandbox.armCalls.reset();
    const dana = guest('dana', 'fabrikam');
    await get(dana, '/providers/Microsoft.ManagementPartner/partners?api-version=2018-02-01');
    for (let i = 0; i < 2; i++) {
      await get(dana, `/${AUTHZ}/roleDefinitions/${BUILTIN_ROLES.contributor}?api-version=2022-04-01`);
    }
    const calls = JSON.parse(await (await fetch(`${sandbox.url}/_sandbox/control/calls`)).text());
    expect(calls.total).toBe(3);
    expect(calls.byTenantOperation[SEED.tenants.fabrikam]).toEqual({
      'partners.get': 1,
      'roleDefinitions.get': 2,
    });
    expect(calls.roleDefinitionFetches[SEED.tenants.fabrikam]).toEqual({ [BUILTIN_ROLES.contributor]: 2 });
    expect((await fetch(`${sandbox.url}/_sandbox/control/calls`, { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.armCalls.snapshot().total).toBe(0);
  });
});
