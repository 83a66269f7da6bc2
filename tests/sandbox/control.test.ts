import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { issueAccessToken } from '../../src/sandbox/tokens.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { startTestSandbox } from '../support/sandbox.ts';

const DANA = 'dana.contributor@contoso.example';

describe('sandbox control API', () => {
  let sandbox: RunningSandbox;
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/_sandbox/control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  /** What ARM tells the user itself about its roles in a subscription (names, not IDs). */
  const rolesSeenByArm = async (upn: string, tenantId: string, subscriptionId: string) => {
    const user = sandbox.world.userByUpn(upn)!;
    const objectId = sandbox.world.identity(user.id, tenantId)!.objectId;
    const auth = {
      authorization: `Bearer ${await issueAccessToken(sandbox.context, { tenantId, objectId })}`,
    };
    const filter = encodeURIComponent(`assignedTo('${objectId}')`);
    const list = await fetch(
      `${sandbox.url}/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${filter}`,
      { headers: auth },
    ).then(async (r) => JSON.parse(await r.text()));
    const names = [];
    for (const a of list.value ?? []) {
      const guid = a.properties.roleDefinitionId.split('/').pop();
      const definition = await fetch(
        `${sandbox.url}/providers/Microsoft.Authorization/roleDefinitions/${guid}?api-version=2022-04-01`,
        { headers: auth },
      ).then(async (r) => JSON.parse(await r.text()));
      names.push(definition.properties.roleName);
    }
    return names;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    expect((await control('POST', '/reset')).status).toBe(200);
  });

  it('shows the world with names: tenants, people, roles, links and knobs', async () => {
    const { status, body } = await control('GET', '/world');
    expect(status).toBe(200);
    expect(body.tenants.map((t: { displayName: string }) => t.displayName)).toContain('Tailspin Toys');
    expect(body.roleAssignments).toContainEqual(
      expect.objectContaining({ role: 'Contributor', principal: 'group: Fabrikam Cloud Team' }),
    );
    expect(body.partnerLinks[0]).toMatchObject({ partnerId: '5550123', partnerName: 'Litware Consulting' });
    expect(body.knobs).toMatchObject({ throttleRate: 0 });
    expect((await control('GET', '/world/raw')).body.users).toHaveLength(body.counts.users);
  });

  it('disables and re-enables a user, revokes sessions and sets a refresh error', async () => {
    expect((await control('POST', `/users/${DANA}/disable`)).body.disabled).toBe(true);
    expect(sandbox.world.userByUpn(DANA)?.disabled).toBe(true);
    expect((await control('POST', `/users/${DANA}/enable`)).body.disabled).toBe(false);
    const revoked = await control('POST', `/users/${DANA}/revoke-sessions`);
    expect(revoked.body.tokensValidAfter).toEqual(expect.any(String));
    expect((await control('PUT', `/users/${DANA}/refresh-error`, { code: 50076 })).body.refreshError).toBe(
      50076,
    );
    expect(
      (await control('PUT', `/users/${DANA}/refresh-error`, { code: null })).body.refreshError,
    ).toBeNull();
  });

  it('removes a guest from a customer tenant and restores it', async () => {
    const removed = await control('POST', `/tenants/fabrikam.example/guests/${DANA}/remove`);
    expect(removed.body).toMatchObject({ removed: true, kind: 'guest', tenantId: SEED.tenants.fabrikam });
    expect(
      (await control('POST', `/tenants/${SEED.tenants.fabrikam}/guests/${DANA}/restore`)).body.removed,
    ).toBe(false);
    expect((await control('POST', `/tenants/contoso.example/guests/${DANA}/remove`)).status).toBe(400);
  });

  it('sets a tenant consent policy', async () => {
    const { body } = await control('PUT', '/tenants/northwind.example/consent', { userConsentBlocked: true });
    expect(body).toMatchObject({ userConsentBlocked: true, adminConsentGranted: false });
  });

  it('removing Contributor from a user who also has Reader leaves ARM showing Reader only', async () => {
    const sub = SEED.subscriptions.northwindTraders;
    const added = await control('POST', '/role-assignments', {
      tenant: 'northwind.example',
      scope: `/subscriptions/${sub}`,
      role: 'reader',
      principal: DANA,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ roleName: 'Reader', principalType: 'User' });
    expect((await rolesSeenByArm(DANA, SEED.tenants.northwind, sub)).sort()).toEqual([
      'Contributor',
      'Reader',
    ]);

    const removed = await control('POST', `/users/${DANA}/roles/remove`, {
      tenant: 'northwind.example',
      role: 'Contributor',
    });
    expect(removed.body.removed).toHaveLength(1);
    expect(await rolesSeenByArm(DANA, SEED.tenants.northwind, sub)).toEqual(['Reader']);

    expect((await control('DELETE', `/role-assignments/${added.body.id}`)).status).toBe(204);
    expect((await control('DELETE', `/role-assignments/${added.body.id}`)).status).toBe(404);
  });

  it('sets, lists and removes a PAL link directly', async () => {
    const set = await control('PUT', '/partner-links', {
      tenant: 'fabrikam.example',
      upn: DANA,
      partnerId: '5550123',
    });
    expect(set.body).toMatchObject({ partnerId: '5550123', state: 'Active', version: 1, upn: DANA });
    const listed = await control('GET', `/partner-links?tenant=fabrikam.example&upn=${DANA}`);
    expect(listed.body.value).toHaveLength(1);
    const removed = await control('DELETE', '/partner-links', { tenant: 'fabrikam.example', upn: DANA });
    expect(removed.body).toMatchObject({ state: 'Deleted', version: 2 });
  });

  it('changes the knobs, and reset puts the seed back with default knobs', async () => {
    const knobs = await control('PATCH', '/knobs', { throttleRate: 0.1, serverErrorRate: 0.02, seed: 7 });
    expect(knobs.body).toMatchObject({ throttleRate: 0.1, serverErrorRate: 0.02, seed: 7 });
    await control('POST', `/users/${DANA}/disable`);
    await control('POST', '/reset');
    expect(sandbox.world.knobs()).toMatchObject({ throttleRate: 0, serverErrorRate: 0, seed: 1 });
    expect(sandbox.world.userByUpn(DANA)?.disabled).toBe(false);
  });

  it('bulk-creates consultants, each a guest with Contributor on three subscriptions', async () => {
    const started = performance.now();
    const { status, body } = await control('POST', '/bulk/consultants', {
      count: 5000,
      partnerId: '4471231',
    });
    expect(status).toBe(201);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(body.users).toHaveLength(5000);
    expect(body.tenants).toHaveLength(1);
    expect(body.tenants[0].subscriptions).toHaveLength(3);
    const last = body.users[4999];
    const customer = body.tenants[0].id;
    expect(await rolesSeenByArm(last.upn, customer, body.tenants[0].subscriptions[2])).toEqual([
      'Contributor',
    ]);
    expect(sandbox.world.partnerLink(customer, last.identities[0].objectId)?.partnerId).toBe('4471231');

    // A second batch continues the numbering in the same customer tenant.
    const again = await control('POST', '/bulk/consultants', {
      count: 2,
      tenants: [customer],
      subscriptionsPerTenant: 3,
    });
    expect(again.body.users[0].upn).toBe('consultant-5001@contoso.example');
    expect(again.body.tenants[0].subscriptions).toEqual(body.tenants[0].subscriptions);
    expect((await control('GET', '/world')).body.counts.users).toBe(8 + 5002);
  });

  it('answers bad input with a 400 that names the problem', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['PATCH', '/knobs', { throttleRate: 2 }, /throttleRate/],
      ['PATCH', '/knobs', { latency: 5 }, /latency/],
      ['PUT', `/users/${DANA}/refresh-error`, { code: 'MFA' }, /code/],
      ['POST', '/role-assignments', { tenant: 'fabrikam.example', role: 'Reader', principal: DANA }, /scope/],
      [
        'POST',
        '/role-assignments',
        {
          tenant: 'fabrikam.example',
          scope: `/subscriptions/${SEED.subscriptions.tailspinToys}`,
          role: 'Reader',
          principal: DANA,
        },
        /scope/,
      ],
      ['PUT', '/partner-links', { tenant: 'fabrikam.example', upn: DANA, partnerId: 'abc' }, /partnerId/],
      ['PUT', '/partner-links', { tenant: 'fabrikam.example', partnerId: '1' }, /upn or objectId/],
      ['POST', '/bulk/consultants', { count: 0 }, /count/],
      ['PATCH', '/knobs', '{not json', /JSON/i],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await control(method, path, body);
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
    expect((await control('POST', '/users/nobody@contoso.example/disable')).status).toBe(404);
  });
});
