import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAssociationStore } from '../../src/pal/associations.ts';
import { fixture, nock } from '../support/microsoft-nock.ts';
import {
  assignments,
  type Behaviour,
  CUSTOMER_TENANT,
  type HealthApp,
  healthApp,
  LINKED,
  LINKED_ELSEWHERE,
  microsoftFor,
  NOT_LINKED,
  person,
  ROLE,
  roleDefinition,
  SUBSCRIPTION,
  subscriptionList,
} from './support.ts';

let app: HealthApp;
let microsoft: ReturnType<typeof microsoftFor>;
beforeEach(async () => {
  app = await healthApp();
  microsoft = microsoftFor(app.people);
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const DANA = person(1);
const oid = DANA.objectIdIn[CUSTOMER_TENANT] as string;

/** Linked to the consultant's location, Contributor on the one subscription. */
const healthy = (objectId = oid): Behaviour => ({
  token: 'ok',
  link: LINKED,
  subscriptions: () => subscriptionList(SUBSCRIPTION),
  assignments: () => [200, assignments(objectId, [{ role: ROLE.contributor }])],
});

const deletedLink = () => {
  const body = JSON.parse(fixture('managementpartner-put-200.json'));
  body.properties.state = 'Deleted';
  return [200, body] as const;
};

describe('one verdict per situation', () => {
  const cases: { name: string; change: Partial<Behaviour>; verdict: string; evidence: object }[] = [
    {
      name: 'linked to the right ID with Contributor → healthy',
      change: {},
      verdict: 'healthy',
      evidence: {
        partnerId: '123456',
        expectedPartnerId: '123456',
        subscriptions: 1,
        roles: [
          {
            roleName: 'Contributor',
            roleDefinitionId: ROLE.contributor,
            scope: `/subscriptions/${SUBSCRIPTION}`,
            eligible: true,
            inferred: false,
          },
        ],
      },
    },
    {
      name: 'no link (recorded 404 ManagementPartnerNotFound) → pal_missing',
      change: { link: NOT_LINKED },
      verdict: 'pal_missing',
      evidence: { partnerId: null },
    },
    {
      name: 'a link the service keeps as Deleted → pal_missing',
      change: { link: deletedLink },
      verdict: 'pal_missing',
      evidence: { partnerId: null },
    },
    {
      name: 'linked to another ID (recorded PATCH body, 123457) → pal_mismatch with the ID found',
      change: { link: LINKED_ELSEWHERE },
      verdict: 'pal_mismatch',
      evidence: { partnerId: '123457', expectedPartnerId: '123456' },
    },
    {
      name: 'linked, but no subscription visible → no_access',
      change: { subscriptions: () => subscriptionList() },
      verdict: 'no_access',
      evidence: { subscriptions: 0, roles: [] },
    },
    {
      name: 'linked, Reader only → reader_only',
      change: { assignments: () => [200, assignments(oid, [{ role: ROLE.reader }])] },
      verdict: 'reader_only',
      evidence: {
        roles: [expect.objectContaining({ roleName: 'Reader', eligible: false, inferred: false })],
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const consultantId = await app.signedIn(DANA, { ...healthy(), ...c.change });
      const report = await app.check();
      const association = await app.association(consultantId);
      expect(association.verdict).toBe(c.verdict);
      expect(association.verdict_stale).toBe(0);
      expect(association.evidence).toMatchObject(c.evidence);
      expect(report.counts).toEqual({ [c.verdict]: 1 });
      // Every check ends in a verdicts row, and nothing token-like is kept as evidence.
      const [row] = await app.verdictRows(report.runId);
      expect(row).toMatchObject({ verdict: c.verdict, previous_verdict: null });
      expect(row?.evidence).not.toMatch(/eyJ|rt:|Bearer/);
    });
  }

  it('infers a custom role from its definition, for the REST spec’s recorded listing verbatim', async () => {
    microsoft.definitions.set(
      ROLE.specExample,
      roleDefinition(ROLE.specExample, 'Fabrikam VM Operator', [
        'Microsoft.Compute/virtualMachines/*',
        '*/read',
      ]),
    );
    const consultantId = await app.signedIn(DANA, {
      ...healthy(),
      assignments: () => [200, fixture('roleassignments-list-spec-example.json')],
    });
    await app.check();
    const association = await app.association(consultantId);
    expect(association.verdict).toBe('healthy');
    expect(association.evidence.roles).toEqual([
      expect.objectContaining({ roleName: 'Fabrikam VM Operator', eligible: true, inferred: true }),
      expect.objectContaining({
        scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/testrg`,
        inferred: true,
      }),
    ]);
    // Two assignments of one role: its definition was read once.
    expect(microsoft.calls.roleDefinitions.get(ROLE.specExample)).toBe(1);
  });

  it('flags a custom role whose notActions take back every change as reader_only', async () => {
    microsoft.definitions.set(
      ROLE.specExample,
      roleDefinition(ROLE.specExample, 'Auditor', ['*'], ['*/write', '*/delete', '*/action']),
    );
    const consultantId = await app.signedIn(DANA, {
      ...healthy(),
      assignments: () => [200, fixture('roleassignments-list-spec-example.json')],
    });
    await app.check();
    expect((await app.association(consultantId)).verdict).toBe('reader_only');
  });

  it('counts a Contributor assignment inherited through a group, asking for the user’s own object ID', async () => {
    const filters: string[] = [];
    const consultantId = await app.signedIn(DANA, {
      ...healthy(),
      assignments: (url) => {
        filters.push(new URL(url).searchParams.get('$filter') ?? '');
        return [
          200,
          assignments(oid, [
            {
              role: ROLE.contributor,
              principalId: 'a7000000-0000-4000-8000-fab000000a01',
              principalType: 'Group',
            },
          ]),
        ];
      },
    });
    await app.check();
    expect((await app.association(consultantId)).verdict).toBe('healthy');
    expect(filters).toEqual([`assignedTo('${oid}')`]);
  });

  it('asks for a sign-in when the consultant never signed in (no stored token cache)', async () => {
    const created = await app.api.post('/api/consultants', { email: 'new@contoso.com' });
    await createAssociationStore(app.deps.db).recordLink({
      consultantId: created.body.id,
      tenantId: CUSTOMER_TENANT,
      tenantName: 'Fabrikam',
      objectId: oid,
      partnerId: '123456',
      previousPartnerId: null,
      at: app.deps.clock.now(),
    });
    await app.check();
    const association = await app.association(created.body.id);
    expect(association.verdict).toBe('reauth_required');
    expect(association.evidence.message).toMatch(/never signed in/i);
    expect(microsoft.calls.token + microsoft.calls.arm).toBe(0);
  });
});

describe('the token', () => {
  it('is refreshed on every run even while the cached one is valid: a cached token would hide a revocation', async () => {
    const consultantId = await app.signedIn(DANA, healthy());
    await app.check();
    await app.check();
    expect(microsoft.calls.token).toBe(2);
    app.people.get(consultantId)!.behaviour.token = { aadsts: 50057, error: 'invalid_grant' };
    await app.check();
    expect((await app.association(consultantId)).verdict).toBe('account_revoked');
  });
});

describe('identity-platform errors, by AADSTS class', () => {
  const cases = [
    { aadsts: 50057, error: 'invalid_grant', verdict: 'account_revoked', kind: 'account_gone' },
    { aadsts: 50173, error: 'invalid_grant', verdict: 'reauth_required', kind: 'interaction_required' },
    { aadsts: 700082, error: 'invalid_grant', verdict: 'reauth_required', kind: 'interaction_required' },
    { aadsts: 50076, error: 'invalid_grant', verdict: 'reauth_required', kind: 'interaction_required' },
    { aadsts: 65001, error: 'invalid_grant', verdict: 'reauth_required', kind: 'consent_required' },
    { aadsts: 53003, error: 'invalid_grant', verdict: 'reauth_required', kind: 'blocked_by_policy' },
    {
      aadsts: 7000222,
      error: 'invalid_client',
      status: 401,
      verdict: 'check_failed',
      kind: 'app_misconfigured',
    },
    {
      aadsts: 90055,
      error: 'temporarily_unavailable',
      status: 429,
      verdict: 'check_failed',
      kind: 'transient',
    },
  ];
  for (const c of cases) {
    it(`AADSTS${c.aadsts} → ${c.verdict} (${c.kind}), without calling Resource Manager`, async () => {
      const token = { aadsts: c.aadsts, error: c.error, ...(c.status ? { status: c.status } : {}) };
      const consultantId = await app.signedIn(DANA, { ...healthy(), token });
      const report = await app.check();
      const association = await app.association(consultantId);
      expect(association.verdict).toBe(c.verdict);
      expect(association.evidence).toMatchObject({ errorCode: `AADSTS${c.aadsts}`, errorKind: c.kind });
      expect(microsoft.calls.arm).toBe(0);
      if (c.kind === 'app_misconfigured') {
        expect(association.evidence.adminAlert).toBe(true);
        expect(report.adminAlerts).toEqual([
          expect.objectContaining({
            kind: 'app_misconfigured',
            tenantId: CUSTOMER_TENANT,
            message: expect.stringContaining('AADSTS7000222'),
          }),
        ]);
      } else {
        expect(report.adminAlerts).toEqual([]);
      }
    });
  }
});

describe('across several associations in one tenant', () => {
  it('reads each custom role definition once per run, and makes 2 + subscriptions calls per association', async () => {
    microsoft.definitions.set(
      ROLE.specExample,
      roleDefinition(ROLE.specExample, 'Operator', ['Microsoft.Web/*']),
    );
    const people = [person(1), person(2), person(3), person(4)];
    for (const who of people) {
      const objectId = who.objectIdIn[CUSTOMER_TENANT] as string;
      await app.signedIn(who, {
        ...healthy(objectId),
        assignments: () => [
          200,
          assignments(objectId, [{ role: ROLE.specExample }, { role: ROLE.contributor }]),
        ],
      });
    }
    const report = await app.check();
    expect(report.counts).toEqual({ healthy: 4 });
    expect(microsoft.calls.roleDefinitions.get(ROLE.specExample)).toBe(1);
    expect(microsoft.calls.arm).toBe(4 * (2 + 1) + 1);
    // A second run has its own cache: definitions can change between runs.
    await app.check();
    expect(microsoft.calls.roleDefinitions.get(ROLE.specExample)).toBe(2);
  });
});
