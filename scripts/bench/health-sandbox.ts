/**
 * The sandbox of `npm run bench:health`, in its own process so the service's peak RSS is measured
 * alone. Starts an in-memory sandbox on a free loopback port, seeds the bulk consultants into its
 * world with a known mix of situations (and so a known verdict for every association), prints
 * `{ url, caPem, clientSecret, seeded }` as the first line on stdout, then answers one JSON command
 * per stdin line (`{ id, cmd, … }` → `{ id, ok, result | error }`). Knobs and the Resource Manager
 * call counters go through the control API (`/_sandbox/control/knobs`, `/calls`) like any client.
 *
 *   node scripts/bench/health-sandbox.ts --consultants 1000 --tenants 5 --subscriptions 3 [--healthy-only]
 *
 * Exits when stdin closes (the benchmark ended or died).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SANDBOX_DEFAULTS } from '../../src/platform/config/sandbox-defaults.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { armTime } from '../../src/sandbox/arm/time.ts';
import { addBulkConsultants } from '../../src/sandbox/control/bulk.ts';
import { codeRequestOf, issueSignInCodes, type SignInPlan } from '../../src/sandbox/linked-consultants.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { BUILTIN_ROLES } from '../../src/sandbox/world/builtin-roles.ts';
import type {
  SandboxRoleAssignment,
  SandboxRoleDefinition,
  WorldState,
} from '../../src/sandbox/world/model.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { peakRss } from './health-memory.ts';

/** Who each association is in the world, and what the check must find. */
export interface SeededAssociation {
  userId: string;
  tenantId: string;
  tenantName: string;
  objectId: string;
  scenario: string;
  expected: string;
  /** Subscriptions the identity can see: the check lists role assignments in each. */
  visibleSubscriptions: number;
  /** The token step fails (disabled account, MFA): no Resource Manager call at all. */
  tokenFails: boolean;
}

export interface SeededWorld {
  partnerTenantId: string;
  partnerId: string;
  consultants: { userId: string; upn: string; displayName: string }[];
  associations: SeededAssociation[];
  /** Custom role GUIDs per tenant held by identities that reach ARM: each must be fetched once per run. */
  customRoles: Record<string, string[]>;
}

const BENCH_PARTNER = {
  tenantId: SANDBOX_DEFAULTS.tenantId,
  name: 'Contoso',
  locationIds: ['4471231', '4471232'],
};

const { values: args } = parseArgs({
  options: {
    consultants: { type: 'string', default: '1000' },
    tenants: { type: 'string', default: '5' },
    subscriptions: { type: 'string', default: '3' },
    'healthy-only': { type: 'boolean', default: false },
  },
});

// Per-association situations, by (consultant, tenant): 65 % plain Contributor, the rest one of each
// kind the check tells apart. Custom roles make the check fetch role definitions.
const MIX = [
  ...Array<string>(13).fill('healthy'),
  'group',
  'custom',
  'reader',
  'auditor',
  'pal_missing',
  'pal_mismatch',
  'no_access',
] as const;
const EXPECTED: Record<string, string> = {
  healthy: 'healthy',
  group: 'healthy',
  custom: 'healthy',
  reader: 'reader_only',
  auditor: 'reader_only',
  pal_missing: 'pal_missing',
  pal_mismatch: 'pal_mismatch',
  no_access: 'no_access',
};
/** Per consultant (every tenant of theirs), applied after they signed in: a disabled account, MFA. */
const userScenario = (k: number) => (k % 50 === 7 ? 'disabled' : k % 50 === 13 ? 'mfa' : undefined);

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function seed(state: WorldState, partnerId: string, options: { healthyOnly: boolean }): SeededWorld {
  const subscriptionsPerTenant = Number(args.subscriptions);
  const contributor = state.roleDefinitions.find((r) => r.id === BUILTIN_ROLES.contributor)!;
  const bulk = addBulkConsultants(state, {
    count: Number(args.consultants),
    tenants: [],
    generate: Number(args.tenants),
    subscriptionsPerTenant,
    role: () => contributor,
    partnerId,
    now: armTime(new Date()),
  });

  const customRoles: Record<string, string[]> = {};
  const extras = new Map<string, { operator: SandboxRoleDefinition; auditor: SandboxRoleDefinition }>();
  const groups = new Map<string, string[]>();
  bulk.tenants.forEach((tenant, t) => {
    const role = (suffix: string, roleName: string, actions: string[], notActions: string[]) => ({
      id: `c0ffee57-${hex(t + 1, 4)}-4000-8000-${hex(0, 11)}${suffix}`,
      roleName,
      roleType: 'CustomRole' as const,
      description: 'Seeded by the health benchmark',
      permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
      tenantId: tenant.id,
    });
    const operator = role('a', 'Bulk VM Operator', ['Microsoft.Compute/virtualMachines/*', '*/read'], []);
    const auditor = role('b', 'Bulk Auditor', ['*'], ['*/write', '*/delete', '*/action']);
    if (!options.healthyOnly) {
      state.roleDefinitions.push(operator, auditor);
      const groupId = `9b0c${hex(t + 1, 4)}-0000-4000-8000-${hex(1, 12)}`;
      const memberIds: string[] = [];
      groups.set(tenant.id, memberIds);
      state.groups.push({ id: groupId, tenantId: tenant.id, displayName: 'Bulk Engineers', memberIds });
      tenant.subscriptions.forEach((subscriptionId, j) => {
        state.roleAssignments.push({
          id: `a55c${hex(t + 1, 4)}-${hex(j, 4)}-4000-8000-${hex(0, 12)}`,
          tenantId: tenant.id,
          scope: `/subscriptions/${subscriptionId}`,
          roleDefinitionId: BUILTIN_ROLES.contributor,
          principalId: groupId,
          principalType: 'Group',
          createdOn: armTime(new Date()),
        });
      });
    }
    extras.set(tenant.id, { operator, auditor });
  });

  const byPrincipal = new Map<string, SandboxRoleAssignment[]>();
  for (const assignment of state.roleAssignments) {
    const list = byPrincipal.get(assignment.principalId);
    if (list) list.push(assignment);
    else byPrincipal.set(assignment.principalId, [assignment]);
  }
  const linkOf = new Map(state.partnerLinks.map((l) => [`${l.tenantId}|${l.objectId}`, l]));
  const strip = new Set<string>();
  const unlink = new Set<string>();
  const tenantName = new Map(bulk.tenants.map((t) => [t.id, t.displayName]));

  const associations: SeededAssociation[] = [];
  for (const user of bulk.users) {
    const k = Number(/^consultant-(\d+)@/.exec(user.upn)?.[1]);
    const perUser = options.healthyOnly ? undefined : userScenario(k);
    user.identities.forEach((identity, t) => {
      const scenario = options.healthyOnly ? 'healthy' : MIX[(k * 7 + t * 3) % MIX.length]!;
      const own = byPrincipal.get(identity.objectId) ?? [];
      const roles = extras.get(identity.tenantId)!;
      if (scenario === 'group') {
        strip.add(identity.objectId);
        groups.get(identity.tenantId)!.push(identity.objectId);
      } else if (scenario === 'custom') {
        own.forEach((a, j) => {
          a.roleDefinitionId = j === 0 ? roles.operator.id : BUILTIN_ROLES.reader;
        });
      } else if (scenario === 'reader') {
        for (const a of own) a.roleDefinitionId = BUILTIN_ROLES.reader;
      } else if (scenario === 'auditor') {
        for (const a of own) a.roleDefinitionId = roles.auditor.id;
      } else if (scenario === 'pal_missing') {
        unlink.add(`${identity.tenantId}|${identity.objectId}`);
      } else if (scenario === 'pal_mismatch') {
        linkOf.get(`${identity.tenantId}|${identity.objectId}`)!.partnerId = SEED.otherPartner.partnerId;
      } else if (scenario === 'no_access') {
        strip.add(identity.objectId);
      }
      // The check reads a custom role's definition when an identity that gets a token holds it.
      const custom =
        scenario === 'custom' ? roles.operator.id : scenario === 'auditor' ? roles.auditor.id : undefined;
      if (custom && !perUser) {
        const used = customRoles[identity.tenantId] ?? [];
        if (!used.includes(custom)) used.push(custom);
        customRoles[identity.tenantId] = used;
      }
      associations.push({
        userId: user.userId,
        tenantId: identity.tenantId,
        tenantName: tenantName.get(identity.tenantId) ?? '',
        objectId: identity.objectId,
        scenario: perUser ?? scenario,
        expected:
          perUser === 'disabled'
            ? 'account_revoked'
            : perUser === 'mfa'
              ? 'reauth_required'
              : EXPECTED[scenario]!,
        visibleSubscriptions: scenario === 'no_access' ? 0 : subscriptionsPerTenant,
        tokenFails: perUser !== undefined,
      });
    });
  }
  if (strip.size > 0) state.roleAssignments = state.roleAssignments.filter((a) => !strip.has(a.principalId));
  if (unlink.size > 0)
    state.partnerLinks = state.partnerLinks.filter((l) => !unlink.has(`${l.tenantId}|${l.objectId}`));

  return {
    partnerTenantId: BENCH_PARTNER.tenantId,
    partnerId,
    consultants: bulk.users.map((u) => ({
      userId: u.userId,
      upn: u.upn,
      displayName: `Consultant ${/^consultant-(\d+)@/.exec(u.upn)?.[1] ?? ''}`,
    })),
    associations,
    customRoles,
  };
}

// What the Resource Manager counter does not see: identity-platform calls, connections accepted,
// and ARM calls per calling identity (from the bearer token's tid/oid, read without verifying).
const stats = {
  identity: {} as Record<string, number>,
  connections: 0,
  perIdentity: new Map<string, number>(),
};
const IDENTITY = /\/oauth2\/v2\.0\/token$|\/\.well-known\/openid-configuration$|\/discovery\//;
subscribe('net.server.socket', () => {
  stats.connections += 1;
});
subscribe('http.server.request.start', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const path = (request.url ?? '').split('?')[0] ?? '';
  if (path.startsWith('/_sandbox/')) return;
  if (IDENTITY.test(path)) {
    const kind = path.endsWith('/token') ? 'token' : 'discovery';
    response.once('finish', () => {
      const key = `${kind} ${response.statusCode}`;
      stats.identity[key] = (stats.identity[key] ?? 0) + 1;
    });
    return;
  }
  // Role-definition reads are the run's (cached per tenant), not one association's.
  if (/\/roleDefinitions\//i.test(path)) return;
  const token = /^Bearer\s+[^.]+\.([^.]+)\./i.exec(request.headers.authorization ?? '')?.[1];
  if (!token) return;
  try {
    const { tid, oid } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const key = `${String(tid).toLowerCase()}|${String(oid).toLowerCase()}`;
    stats.perIdentity.set(key, (stats.perIdentity.get(key) ?? 0) + 1);
  } catch {
    // Not a JWT: the sandbox refuses it; nothing to count per identity.
  }
});

const sandbox = await startSandbox({
  dir: undefined,
  port: 0,
  partner: BENCH_PARTNER,
  clientId: SANDBOX_DEFAULTS.clientId,
  logger: createLogger({ level: 'silent' }),
});
const seeded = sandbox.world.change((state) =>
  seed(state, BENCH_PARTNER.locationIds[0]!, { healthyOnly: args['healthy-only'] }),
);
const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
out({ url: sandbox.url, caPem: sandbox.caPem, clientSecret: sandbox.clientSecret, seeded });

let cpuMark = process.cpuUsage();
const commands: Record<string, (input: Record<string, unknown>) => unknown> = {
  /** Authorization codes as the account picker would issue them, one per consultant (home tenant). */
  codes(input) {
    const userIds = seeded.consultants.map((c) => c.userId);
    return issueSignInCodes(
      sandbox.context,
      userIds,
      codeRequestOf(input.plan as SignInPlan),
      seeded.partnerTenantId,
    );
  },
  /** After the sign-ins: disable some accounts and make others need MFA. */
  userScenarios() {
    let changed = 0;
    sandbox.world.change((state) => {
      for (const user of state.users) {
        const k = Number(/^consultant-(\d+)@/.exec(user.upn)?.[1]);
        const scenario = args['healthy-only'] || !k ? undefined : userScenario(k);
        if (scenario === 'disabled') user.disabled = true;
        if (scenario === 'mfa') user.refreshError = 50076;
        if (scenario) changed += 1;
      }
    });
    return { changed };
  },
  resetStats() {
    stats.identity = {};
    stats.connections = 0;
    stats.perIdentity.clear();
    cpuMark = process.cpuUsage();
    return {};
  },
  stats() {
    const cpu = process.cpuUsage(cpuMark);
    return {
      identity: stats.identity,
      connections: stats.connections,
      perIdentity: Object.fromEntries(stats.perIdentity),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: peakRss(),
    };
  },
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let id: unknown;
  try {
    const { id: requestId, cmd, ...input } = JSON.parse(line) as { id: unknown; cmd: string };
    id = requestId;
    const command = commands[cmd];
    if (!command) throw new Error(`unknown command ${cmd}`);
    out({ id, ok: true, result: command(input) });
  } catch (error) {
    out({ id, ok: false, error: (error as Error).message });
  }
});
lines.on('close', () => {
  void sandbox.close().finally(() => process.exit(0));
});
