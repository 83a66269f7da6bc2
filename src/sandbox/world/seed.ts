import { SEED_SERVICE_PRINCIPALS, secretDigest, secretHint } from '../identity/service-principals.ts';
import { BUILTIN_ROLE_DEFINITIONS, BUILTIN_ROLES } from './builtin-roles.ts';
import { DEFAULT_KNOBS, type SandboxUser, type TenantIdentity, type WorldState } from './model.ts';

export interface SeedPartner {
  tenantId: string;
  name: string;
  locationIds: string[];
}

/** Fixed IDs, so the demo, the tests and the docs all talk about the same objects. */
export const SEED = {
  tenants: {
    fabrikam: 'f1b2c3d4-0001-4a6e-9b1d-fab000000001',
    northwind: 'a0c1e2f3-0002-4b7f-8c2e-0de000000002',
    tailspin: 'b9e8d7c6-0003-4c80-9d3f-7a1000000003',
  },
  subscriptions: {
    fabrikamProduction: '5f0c8a2e-1111-4d2b-9a6e-fab000000011',
    fabrikamDevelopment: '5f0c8a2e-2222-4d2b-9a6e-fab000000022',
    northwindTraders: '6a1d9b3f-3333-4e3c-8b7f-0de000000033',
    tailspinToys: '7b2eac40-4444-4f4d-9c80-7a1000000044',
  },
  /** Another partner's location ID, already on one consultant's link. */
  otherPartner: { partnerId: '5550123', partnerName: 'Litware Consulting' },
  users: {
    admin: 'alex.admin',
    dana: 'dana.contributor',
    riley: 'riley.reader',
    sam: 'sam.disabled',
    noor: 'noor.noroles',
    olive: 'olive.otherpartner',
    taylor: 'taylor.tailspin',
    morgan: 'morgan.mfa',
  },
} as const;

/** Deterministic GUID-shaped IDs from a short label (readable in logs, stable across runs). */
function objectId(tenantIndex: number, userIndex: number): string {
  const t = tenantIndex.toString(16).padStart(4, '0');
  const u = userIndex.toString(16).padStart(12, '0');
  return `0b1ec7${t.slice(0, 2)}-${t}-4000-8000-${u}`;
}

interface PersonSeed {
  key: keyof typeof SEED.users;
  displayName: string;
  /** Customer tenants the person is a guest in. */
  guestIn: (keyof typeof SEED.tenants)[];
  refreshError?: number;
}

const PEOPLE: PersonSeed[] = [
  { key: 'admin', displayName: 'Alex Admin', guestIn: [] },
  { key: 'dana', displayName: 'Dana Contributor', guestIn: ['fabrikam', 'northwind'] },
  { key: 'riley', displayName: 'Riley Reader', guestIn: ['fabrikam'] },
  { key: 'sam', displayName: 'Sam Soon-Disabled', guestIn: ['northwind'] },
  { key: 'noor', displayName: 'Noor No-Roles', guestIn: ['fabrikam'] },
  { key: 'olive', displayName: 'Olive Other-Partner', guestIn: ['northwind'] },
  { key: 'taylor', displayName: 'Taylor Tailspin', guestIn: ['tailspin', 'fabrikam'] },
  { key: 'morgan', displayName: 'Morgan Needs-MFA', guestIn: ['northwind'] },
];

const TENANT_ORDER: (keyof typeof SEED.tenants)[] = ['fabrikam', 'northwind', 'tailspin'];

/**
 * The demo world (DESIGN §8): the partner's tenant with its people, and three customers —
 * Fabrikam (two subscriptions), Northwind (one) and Tailspin (blocks user consent) — arranged so that
 * every health verdict has a consultant that produces it.
 */
export function seedWorld(partner: SeedPartner, now: Date): WorldState {
  const domain = `${partner.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  const at = now.toISOString();
  const state: WorldState = {
    tenants: [
      {
        id: partner.tenantId,
        displayName: partner.name,
        defaultDomain: domain,
        isPartnerTenant: true,
        userConsentBlocked: false,
        adminConsentGranted: true,
      },
      customer(SEED.tenants.fabrikam, 'Fabrikam', 'fabrikam.example'),
      customer(SEED.tenants.northwind, 'Northwind Traders', 'northwind.example'),
      { ...customer(SEED.tenants.tailspin, 'Tailspin Toys', 'tailspin.example'), userConsentBlocked: true },
    ],
    users: [],
    identities: [],
    groups: [],
    subscriptions: [
      sub(SEED.subscriptions.fabrikamProduction, SEED.tenants.fabrikam, 'Fabrikam Production'),
      sub(SEED.subscriptions.fabrikamDevelopment, SEED.tenants.fabrikam, 'Fabrikam Development'),
      sub(SEED.subscriptions.northwindTraders, SEED.tenants.northwind, 'Northwind Traders – Pay-As-You-Go'),
      sub(SEED.subscriptions.tailspinToys, SEED.tenants.tailspin, 'Tailspin Toys Production'),
    ],
    roleDefinitions: [
      ...BUILTIN_ROLE_DEFINITIONS,
      {
        id: 'c0ffee00-0000-4000-8000-fab0000000c1',
        roleName: 'Fabrikam VM Operator',
        roleType: 'CustomRole',
        description: 'Start, stop and resize virtual machines.',
        permissions: [
          {
            actions: ['Microsoft.Compute/virtualMachines/*', '*/read'],
            notActions: [],
            dataActions: [],
            notDataActions: [],
          },
        ],
        tenantId: SEED.tenants.fabrikam,
      },
      {
        id: 'c0ffee00-0000-4000-8000-fab0000000c2',
        roleName: 'Fabrikam Auditor',
        roleType: 'CustomRole',
        description: 'Everything but changes: every write is taken back out.',
        permissions: [
          {
            actions: ['*'],
            notActions: ['*/write', '*/delete', '*/action'],
            dataActions: [],
            notDataActions: [],
          },
        ],
        tenantId: SEED.tenants.fabrikam,
      },
    ],
    roleAssignments: [],
    partnerLinks: [],
    knownPartnerIds: [
      ...partner.locationIds.map((partnerId) => ({ partnerId, partnerName: partner.name })),
      { ...SEED.otherPartner },
    ],
    knobs: { ...DEFAULT_KNOBS },
  };

  PEOPLE.forEach((person, index) => {
    const user: SandboxUser = {
      id: objectId(0, index + 1),
      homeTenantId: partner.tenantId,
      upn: `${SEED.users[person.key]}@${domain}`,
      displayName: person.displayName,
      disabled: false,
      tokensValidAfter: null,
      refreshError: person.refreshError ?? null,
    };
    state.users.push(user);
    state.identities.push({
      tenantId: partner.tenantId,
      userId: user.id,
      objectId: user.id,
      kind: 'member',
      removed: false,
    });
    for (const tenant of person.guestIn) {
      const guest: TenantIdentity = {
        tenantId: SEED.tenants[tenant],
        userId: user.id,
        objectId: objectId(TENANT_ORDER.indexOf(tenant) + 1, index + 1),
        kind: 'guest',
        removed: false,
      };
      state.identities.push(guest);
    }
  });

  const guestId = (key: keyof typeof SEED.users, tenant: keyof typeof SEED.tenants) => {
    const user = state.users.find((u) => u.upn.startsWith(`${SEED.users[key]}@`))!;
    return state.identities.find((i) => i.userId === user.id && i.tenantId === SEED.tenants[tenant])!
      .objectId;
  };
  let assignmentCounter = 0;
  const assign = (
    tenant: keyof typeof SEED.tenants,
    scope: string,
    roleDefinitionId: string,
    principalId: string,
    principalType: 'User' | 'Group' = 'User',
  ) => {
    assignmentCounter += 1;
    state.roleAssignments.push({
      id: `a551a000-0000-4000-8000-${assignmentCounter.toString(16).padStart(12, '0')}`,
      tenantId: SEED.tenants[tenant],
      scope,
      roleDefinitionId,
      principalId,
      principalType,
      createdOn: at,
    });
  };
  const subScope = (id: string) => `/subscriptions/${id}`;

  // Dana: Contributor in Fabrikam through a group (nested once), and directly in Northwind → healthy.
  const cloudTeam = 'a7000000-0000-4000-8000-fab000000a01';
  const platformEngineers = 'a7000000-0000-4000-8000-fab000000a02';
  state.groups.push(
    {
      id: cloudTeam,
      tenantId: SEED.tenants.fabrikam,
      displayName: 'Fabrikam Cloud Team',
      memberIds: [platformEngineers],
    },
    {
      id: platformEngineers,
      tenantId: SEED.tenants.fabrikam,
      displayName: 'Partner Platform Engineers',
      memberIds: [guestId('dana', 'fabrikam')],
    },
  );
  assign(
    'fabrikam',
    subScope(SEED.subscriptions.fabrikamProduction),
    BUILTIN_ROLES.contributor,
    cloudTeam,
    'Group',
  );
  assign(
    'northwind',
    subScope(SEED.subscriptions.northwindTraders),
    BUILTIN_ROLES.contributor,
    guestId('dana', 'northwind'),
  );

  // Riley: Reader on one subscription and one resource group → reader_only.
  assign(
    'fabrikam',
    subScope(SEED.subscriptions.fabrikamProduction),
    BUILTIN_ROLES.reader,
    guestId('riley', 'fabrikam'),
  );
  assign(
    'fabrikam',
    `${subScope(SEED.subscriptions.fabrikamDevelopment)}/resourceGroups/rg-shared`,
    BUILTIN_ROLES.reader,
    guestId('riley', 'fabrikam'),
  );

  // Sam: Contributor in Northwind; the demo disables the account → account_revoked.
  assign(
    'northwind',
    subScope(SEED.subscriptions.northwindTraders),
    BUILTIN_ROLES.contributor,
    guestId('sam', 'northwind'),
  );

  // Noor: a guest in Fabrikam with no role at all → no_access.

  // Olive: Contributor in Northwind, but PAL already points at another partner's ID.
  const oliveNorthwind = guestId('olive', 'northwind');
  assign(
    'northwind',
    subScope(SEED.subscriptions.northwindTraders),
    BUILTIN_ROLES.contributor,
    oliveNorthwind,
  );
  state.partnerLinks.push({
    tenantId: SEED.tenants.northwind,
    objectId: oliveNorthwind,
    partnerId: SEED.otherPartner.partnerId,
    etag: 3,
    version: 3,
    createdTime: '2025-03-14T09:26:53.5897932Z',
    updatedTime: '2025-06-02T16:40:11.1250000Z',
    state: 'Active',
  });

  // Taylor: Owner in Tailspin (whose consent policy blocks us) and a custom operator role in Fabrikam.
  assign(
    'tailspin',
    subScope(SEED.subscriptions.tailspinToys),
    BUILTIN_ROLES.owner,
    guestId('taylor', 'tailspin'),
  );
  assign(
    'fabrikam',
    `${subScope(SEED.subscriptions.fabrikamDevelopment)}/resourceGroups/rg-vms`,
    'c0ffee00-0000-4000-8000-fab0000000c1',
    guestId('taylor', 'fabrikam'),
  );

  // Automation identities: Fabrikam's deployment pipeline (Contributor on Production), and the
  // partner's own Lighthouse automation in the partner tenant (its delegated roles are invisible).
  const yearAhead = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  const app = (
    seed: (typeof SEED_SERVICE_PRINCIPALS)[keyof typeof SEED_SERVICE_PRINCIPALS],
    tenantId: string,
  ) => ({
    clientId: seed.clientId,
    tenantId,
    displayName: seed.displayName,
    objectId: seed.objectId,
    secrets: [
      {
        id: `${seed.clientId.slice(0, 8)}-s1`,
        sha256: secretDigest(seed.secret),
        hint: secretHint(seed.secret),
        expiresAt: yearAhead,
      },
    ],
    certificates: [],
    removed: false,
  });
  state.servicePrincipals = [
    app(SEED_SERVICE_PRINCIPALS.fabrikamPipeline, SEED.tenants.fabrikam),
    app(SEED_SERVICE_PRINCIPALS.partnerAutomation, partner.tenantId),
  ];
  assignmentCounter += 1;
  state.roleAssignments.push({
    id: `a551a000-0000-4000-8000-${assignmentCounter.toString(16).padStart(12, '0')}`,
    tenantId: SEED.tenants.fabrikam,
    scope: subScope(SEED.subscriptions.fabrikamProduction),
    roleDefinitionId: BUILTIN_ROLES.contributor,
    principalId: SEED_SERVICE_PRINCIPALS.fabrikamPipeline.objectId,
    principalType: 'ServicePrincipal',
    createdOn: at,
  });

  // Morgan: Contributor in Northwind; the demo turns on an MFA requirement → reauth_required.
  assign(
    'northwind',
    subScope(SEED.subscriptions.northwindTraders),
    BUILTIN_ROLES.contributor,
    guestId('morgan', 'northwind'),
  );

  return state;
}

function customer(id: string, displayName: string, defaultDomain: string) {
  return {
    id,
    displayName,
    defaultDomain,
    isPartnerTenant: false,
    userConsentBlocked: false,
    adminConsentGranted: false,
  };
}

function sub(subscriptionId: string, tenantId: string, displayName: string) {
  return { subscriptionId, tenantId, displayName, state: 'Enabled' as const };
}
