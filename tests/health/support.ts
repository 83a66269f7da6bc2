import { createTokenCacheStore } from '../../src/azure/token-cache-store.ts';
import { type RunReport, startHealthRun, waitForRun } from '../../src/health/index.ts';
import { createAssociationStore } from '../../src/pal/associations.ts';
import { apiTestApp } from '../api/support.ts';
import { testConfig } from '../support/app.ts';
import {
  ARM,
  aadstsError,
  fixture,
  LOGIN,
  mockDiscovery,
  nock,
  type TestPerson,
  tokenResponse,
} from '../support/microsoft-nock.ts';

/** IDs from the recorded responses, so recorded bodies are served verbatim. */
export const CUSTOMER_TENANT = '1b1121dd-6900-412a-af73-e8d44f81e1c1';
export const PARTNER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SUBSCRIPTION = 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2';
export const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const PM = '/providers/Microsoft.ManagementPartner/partners';
export const ROLE = {
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  /** The role in the REST spec's example listing: not built in, so its definition is fetched. */
  specExample: '0b5fe924-9a61-425c-96af-cfe6e287ca2d',
};
const json = { 'content-type': 'application/json; charset=utf-8' };

/** A consultant with a guest object in the customer tenant; `n` keeps IDs apart. */
export function person(n: number, objectId?: string): TestPerson {
  const hex = n.toString(16).padStart(12, '0');
  return {
    homeTenantId: PARTNER_TENANT,
    homeObjectId: `0b1ec700-0000-4000-8000-${hex}`,
    upn: `consultant${n}@contoso.com`,
    name: `Consultant ${n}`,
    objectIdIn: { [CUSTOMER_TENANT]: objectId ?? `9c000000-0000-4000-8000-${hex}` },
  };
}

/** The recorded 200 of a link to 123456 (the consultants' location) and of one to 123457. */
export const LINKED = () => [200, fixture('managementpartner-put-200.json')] as const;
export const LINKED_ELSEWHERE = () => [200, fixture('managementpartner-patch-200.json')] as const;
export const NOT_LINKED = () => [404, fixture('managementpartner-get-404-not-linked.json')] as const;

/** A role-assignment listing in the shape of the REST spec's example. */
export function assignments(
  objectId: string,
  roles: { role: string; scope?: string; principalId?: string; principalType?: string }[],
) {
  return {
    value: roles.map((r, i) => ({
      properties: {
        roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${r.role}`,
        principalId: r.principalId ?? objectId,
        principalType: r.principalType ?? 'User',
        scope: r.scope ?? `/subscriptions/${SUBSCRIPTION}`,
      },
      id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-00000000000${i}`,
      type: 'Microsoft.Authorization/roleAssignments',
      name: `00000000-0000-4000-8000-00000000000${i}`,
    })),
  };
}

export function roleDefinition(guid: string, roleName: string, actions: string[], notActions: string[] = []) {
  return {
    id: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: guid,
    properties: {
      roleName,
      type: 'CustomRole',
      description: '',
      assignableScopes: [`/subscriptions/${SUBSCRIPTION}`],
      permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
    },
  };
}

type Reply = readonly [number, string | object, Record<string, string>?];

/** How Microsoft answers one consultant; every field can be changed between runs. */
export interface Behaviour {
  token: 'ok' | { aadsts: number; error: string; status?: number };
  link: () => Reply;
  subscriptions: () => Reply;
  /** Gets the request URL, to check the `$filter` it carries. */
  assignments: (url: string) => Reply;
}

function oidOf(request: Request): string {
  const bearer = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
  return JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString()).oid;
}

/**
 * Microsoft's real hosts, intercepted: the token endpoint and Resource Manager answer per consultant
 * (told apart by the refresh token and by the access token's oid), and count the calls. nock hands a
 * reply function the fetch `Request`.
 */
export function microsoftFor(people: Map<string, { person: TestPerson; behaviour: Behaviour }>) {
  const calls = { token: 0, arm: 0, roleDefinitions: new Map<string, number>() };
  const definitions = new Map<string, object>();
  const byUpn = (upn: string) => [...people.values()].find((p) => p.person.upn === upn);
  const byOid = (oid: string) =>
    [...people.values()].find((p) => p.person.objectIdIn[CUSTOMER_TENANT] === oid);
  mockDiscovery(CUSTOMER_TENANT);
  nock(LOGIN)
    .post(`/${CUSTOMER_TENANT}/oauth2/v2.0/token`)
    .query(true)
    .reply(async (request: Request) => {
      calls.token += 1;
      const refresh = new URLSearchParams(await request.text()).get('refresh_token') ?? '';
      const who = byUpn(refresh.replace(/^rt:/, ''));
      if (!who) return [400, aadstsError(70000, 'invalid_grant', 'Unknown refresh token.')];
      const { token } = who.behaviour;
      if (token !== 'ok') {
        const retry = token.status === 429 ? { 'retry-after': '0' } : {};
        return [token.status ?? 400, aadstsError(token.aadsts, token.error, 'Refused.'), retry];
      }
      const issued = tokenResponse(who.person, CUSTOMER_TENANT, { clientId: CLIENT_ID });
      return [200, { ...issued, refresh_token: `rt:${who.person.upn}` }];
    })
    .persist();

  const arm = (path: string | RegExp, answer: (b: Behaviour, url: string) => Reply) =>
    nock(ARM)
      .get(path)
      .query(true)
      .reply((request: Request) => {
        calls.arm += 1;
        const who = byOid(oidOf(request));
        if (!who) return [401, { error: { code: 'InvalidAuthenticationToken', message: 'who?' } }];
        const [status, body, headers] = answer(who.behaviour, request.url);
        return [status, body, { ...json, ...(headers ?? {}) }];
      })
      .persist();
  arm(PM, (b) => b.link());
  arm('/subscriptions', (b) => b.subscriptions());
  arm(/\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleAssignments/, (b, url) =>
    b.assignments(url),
  );
  nock(ARM)
    .get(/\/providers\/Microsoft\.Authorization\/roleDefinitions\//)
    .query(true)
    .reply((request: Request) => {
      calls.arm += 1;
      const guid = new URL(request.url).pathname.split('/').pop() ?? '';
      calls.roleDefinitions.set(guid, (calls.roleDefinitions.get(guid) ?? 0) + 1);
      const found = definitions.get(guid);
      if (found) return [200, found, json];
      return [404, { error: { code: 'RoleDefinitionDoesNotExist', message: 'no such role' } }, json];
    })
    .persist();
  return { calls, definitions };
}

export const subscriptionList = (...ids: string[]): Reply => [
  200,
  {
    value: ids.map((subscriptionId) => ({
      id: `/subscriptions/${subscriptionId}`,
      subscriptionId,
      tenantId: CUSTOMER_TENANT,
      displayName: `Subscription ${subscriptionId.slice(0, 4)}`,
      state: 'Enabled',
    })),
  },
];

/** The app with the recorded IDs as the partner's locations, and helpers to sign consultants in and run checks. */
export async function healthApp() {
  const config = testConfig({
    AZURE_CLIENT_ID: CLIENT_ID,
    AZURE_TENANT_ID: PARTNER_TENANT,
    AZURE_CLIENT_SECRET: 'component-test-secret',
    PARTNER_NAME: 'Contoso',
    PARTNER_GLOBAL_ID: '123455',
    PARTNER_LOCATION_IDS: '123456:United Kingdom,123457:Germany',
    HEALTH_CHECK_CONCURRENCY: '4',
  });
  const built = await apiTestApp({
    config,
    armRetry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  const { deps } = built;
  const people = new Map<string, { person: TestPerson; behaviour: Behaviour }>();
  const reports: RunReport[] = [];
  mockDiscovery('organizations');

  return {
    ...built,
    people,
    reports,
    /** Puts a consultant on the roster, signs them in once (their token cache is stored) and records the link. */
    async signedIn(who: TestPerson, behaviour: Behaviour) {
      const created = await built.api.post('/api/consultants', { email: who.upn, displayName: who.name });
      const consultantId = created.body.id as string;
      nock(LOGIN)
        .post('/organizations/oauth2/v2.0/token')
        .query(true)
        .reply(200, {
          ...tokenResponse(who, who.homeTenantId, { nonce: 'n-1', clientId: CLIENT_ID }),
          refresh_token: `rt:${who.upn}`,
        });
      const { outcome, cache } = await deps.azure.identity.redeemCode({
        code: 'code-1',
        codeVerifier: 'v'.repeat(43),
        nonce: 'n-1',
        state: 's-1',
        authority: 'organizations',
      });
      if (!outcome.ok) throw new Error(`sign-in failed: ${outcome.failure.message}`);
      const account = outcome.value.homeAccountId;
      await createTokenCacheStore(deps).save(account, consultantId, cache);
      await deps.db
        .updateTable('consultants')
        .set({ home_account_id: account })
        .where('id', '=', consultantId)
        .execute();
      await createAssociationStore(deps.db).recordLink({
        consultantId,
        tenantId: CUSTOMER_TENANT,
        tenantName: 'Fabrikam',
        objectId: who.objectIdIn[CUSTOMER_TENANT] ?? '',
        partnerId: '123456',
        previousPartnerId: null,
        at: deps.clock.now(),
      });
      people.set(consultantId, { person: who, behaviour });
      return consultantId;
    },
    /** One run to the end, its report collected. */
    async check() {
      const run = await startHealthRun(deps, {
        trigger: 'manual',
        onRunFinished: async (report) => {
          reports.push(report);
        },
      });
      if (!run.started) throw new Error(`run ${run.runId} did not start here`);
      const report = await waitForRun(deps, run.runId);
      if (!report) throw new Error(`run ${run.runId} vanished`);
      return report;
    },
    async association(consultantId: string) {
      const [row] = await createAssociationStore(deps.db).list({ consultantId });
      if (!row) throw new Error('no association');
      return { ...row, evidence: JSON.parse(row.evidence ?? 'null') };
    },
    async verdictRows(runId: string) {
      return deps.db.selectFrom('verdicts').selectAll().where('run_id', '=', runId).execute();
    },
  };
}

export type HealthApp = Awaited<ReturnType<typeof healthApp>>;
