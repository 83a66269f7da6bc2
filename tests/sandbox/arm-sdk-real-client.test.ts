import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ACEProvisioningManagementPartnerAPI } from '@azure/arm-managementpartner';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { isRestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { issueAccessToken } from '../../src/sandbox/tokens.ts';
import { BUILTIN_ROLES } from '../../src/sandbox/world/builtin-roles.ts';
import { DEFAULT_KNOBS } from '../../src/sandbox/world/model.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { startTestSandbox, TEST_PARTNER } from '../support/sandbox.ts';

// The point of these tests: the Azure SDKs the service uses, unchanged, talk to the sandbox as
// they would to management.azure.com. Only the endpoint and the trusted CA differ.
const SCOPES = ['https://management.azure.com/.default'];
const [PLA, OTHER_PLA] = TEST_PARTNER.locationIds as [string, string];

async function expectRestError(promise: Promise<unknown>, statusCode: number, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isRestError(error)).toBe(true);
  expect(error).toMatchObject({ statusCode, code });
}

describe('the real Azure SDKs against the simulated Resource Manager', () => {
  let sandbox: RunningSandbox;
  let danaFabrikam: string;
  let credential: TokenCredential;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const dana = sandbox.world.userByUpn('dana.contributor@contoso.example')!;
    danaFabrikam = sandbox.world.identity(dana.id, SEED.tenants.fabrikam)!.objectId;
    const token = await issueAccessToken(sandbox.context, {
      tenantId: SEED.tenants.fabrikam,
      objectId: danaFabrikam,
      upn: dana.upn,
      scp: 'user_impersonation',
    });
    credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_000_000 }) };
  });
  afterAll(() => sandbox.close());
  afterEach(() => {
    sandbox.world.change((state) => Object.assign(state.knobs, DEFAULT_KNOBS));
  });

  const clientOptions = (extra: object = {}) => ({
    endpoint: sandbox.url,
    credentialScopes: SCOPES,
    ...extra,
  });

  it('ManagementPartner: not linked → create → read → re-point → delete, as the SDK sees it', async () => {
    const pal = new ACEProvisioningManagementPartnerAPI(credential, clientOptions());
    await expectRestError(pal.partners.get(), 404, 'ManagementPartnerNotFound');
    await expectRestError(pal.partner.create(TEST_PARTNER.globalId), 400, 'PartnerIdInvalid');

    const created = await pal.partner.create(PLA);
    expect(created).toMatchObject({
      partnerId: PLA,
      partnerName: 'Contoso',
      objectId: danaFabrikam,
      state: 'Active',
    });
    expect(created.tenantId).toBe(SEED.tenants.fabrikam);
    expect(await pal.partners.get()).toMatchObject({ partnerId: PLA, version: 1, etag: 1 });
    expect(await pal.partner.get(PLA)).toMatchObject({ partnerId: PLA });
    await expectRestError(pal.partner.get(OTHER_PLA), 404, 'ManagementPartnerNotFound');

    const updated = await pal.partner.update(OTHER_PLA);
    expect(updated).toMatchObject({ partnerId: OTHER_PLA, version: 2, etag: 2 });
    expect(updated.createdTime).toEqual(created.createdTime);

    await pal.partner.delete(OTHER_PLA);
    await expectRestError(pal.partners.get(), 404, 'ManagementPartnerNotFound');
    await expectRestError(pal.partner.update(PLA), 404, 'ManagementPartnerNotFound');
  });

  it('Subscriptions: lists the account’s tenants and the token tenant’s visible subscriptions', async () => {
    const client = new SubscriptionClient(credential, clientOptions());
    const tenants = [];
    for await (const tenant of client.tenants.list()) tenants.push(tenant);
    expect(tenants.map((t) => t.tenantId)).toEqual([
      TEST_PARTNER.tenantId,
      SEED.tenants.fabrikam,
      SEED.tenants.northwind,
    ]);
    expect(tenants[1]).toMatchObject({ displayName: 'Fabrikam', defaultDomain: 'fabrikam.example' });

    const subscriptions = [];
    for await (const subscription of client.subscriptions.list()) subscriptions.push(subscription);
    // Dana's only Fabrikam role is on Production (through a nested group); Development is invisible.
    expect(subscriptions).toMatchObject([
      {
        subscriptionId: SEED.subscriptions.fabrikamProduction,
        tenantId: SEED.tenants.fabrikam,
        state: 'Enabled',
      },
    ]);
  });

  it('Authorization: assignedTo() finds Contributor through the nested group; principalId eq does not', async () => {
    const client = new AuthorizationManagementClient(
      credential,
      SEED.subscriptions.fabrikamProduction,
      clientOptions(),
    );
    const assignedTo = [];
    for await (const a of client.roleAssignments.listForSubscription({
      filter: `assignedTo('${danaFabrikam}')`,
    })) {
      assignedTo.push(a);
    }
    expect(assignedTo).toHaveLength(1);
    expect(assignedTo[0]).toMatchObject({
      principalType: 'Group',
      scope: `/subscriptions/${SEED.subscriptions.fabrikamProduction}`,
    });
    expect(assignedTo[0]?.roleDefinitionId).toMatch(
      new RegExp(`/roleDefinitions/${BUILTIN_ROLES.contributor}$`),
    );

    const direct = [];
    for await (const a of client.roleAssignments.listForSubscription({
      filter: `principalId eq '${danaFabrikam}'`,
    })) {
      direct.push(a);
    }
    expect(direct).toEqual([]);

    // The ID comes with a leading slash; passed as is, the SDK would ask for //subscriptions/….
    const definition = await client.roleDefinitions.getById(
      assignedTo[0]!.roleDefinitionId!.replace(/^\//, ''),
    );
    expect(definition).toMatchObject({ roleName: 'Contributor', roleType: 'BuiltInRole' });
    expect(definition.permissions?.[0]?.actions).toEqual(['*']);
  });

  it('a throttled call is retried after Retry-After and then succeeds', async () => {
    sandbox.world.change((state) => Object.assign(state.knobs, { throttleRate: 1, retryAfterSeconds: 1 }));
    sandbox.armCalls.reset();
    const client = new SubscriptionClient(credential, clientOptions());
    const pending = client.tenants.list().next();
    // Lift the throttling once the first 429 has gone out; the SDK is waiting out Retry-After.
    while (!sandbox.armCalls.snapshot().byStatus['429']) await new Promise((r) => setTimeout(r, 20));
    sandbox.world.change((state) => Object.assign(state.knobs, { throttleRate: 0 }));
    const first = await pending;
    expect(first.value).toMatchObject({ tenantId: TEST_PARTNER.tenantId });
    expect(sandbox.armCalls.snapshot().byStatus).toEqual({ '429': 1, '200': 1 });
  });

  it('a server error surfaces as a 503 RestError when retries are off', async () => {
    sandbox.world.change((state) =>
      Object.assign(state.knobs, { serverErrorRate: 1, serverErrorStatus: 503, retryAfterSeconds: 0 }),
    );
    const client = new SubscriptionClient(credential, clientOptions({ retryOptions: { maxRetries: 0 } }));
    const error = await client.tenants
      .list()
      .next()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isRestError(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 503 });
  });
});
