import { badRequest } from '../../platform/errors.ts';
import type {
  SandboxRoleDefinition,
  SandboxSubscription,
  SandboxTenant,
  WorldState,
} from '../world/model.ts';

export interface BulkConsultantsInput {
  count: number;
  /** Customer tenants every consultant is a guest in: existing ones, or none → generate `generate`. */
  tenants: SandboxTenant[];
  generate: number;
  subscriptionsPerTenant: number;
  role: (tenant: SandboxTenant) => SandboxRoleDefinition;
  /** When set, each guest identity starts linked to this partner ID. */
  partnerId?: string | undefined;
  now: string;
}

export interface BulkConsultantsResult {
  tenants: { id: string; displayName: string; subscriptions: string[] }[];
  users: { upn: string; userId: string; identities: { tenantId: string; objectId: string }[] }[];
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Adds `count` consultants to the partner tenant, each a guest in every given (or generated)
 * customer tenant with `role` on `subscriptionsPerTenant` of its subscriptions. IDs are derived
 * from running numbers, so the same calls on the same world give the same objects, and a second
 * batch continues the numbering instead of colliding. One pass, no per-item lookups: 5,000
 * consultants take milliseconds. The caller wraps it in one `world.change()`.
 */
export function addBulkConsultants(state: WorldState, input: BulkConsultantsInput): BulkConsultantsResult {
  const partner = state.tenants.find((t) => t.isPartnerTenant);
  if (!partner) throw badRequest('the world has no partner tenant');
  const nextNumber = (prefix: RegExp, values: string[]) =>
    values.reduce((max, v) => Math.max(max, Number(prefix.exec(v)?.[1] ?? 0)), 0) + 1;

  const tenants = [...input.tenants];
  const firstGenerated = nextNumber(
    /^bulk-customer-(\d+)\./,
    state.tenants.map((t) => t.defaultDomain),
  );
  for (let g = firstGenerated; g < firstGenerated + input.generate; g++) {
    const tenant: SandboxTenant = {
      id: `c0570000-0000-4000-8000-${hex(g, 12)}`,
      displayName: `Bulk Customer ${g}`,
      defaultDomain: `bulk-customer-${g}.example`,
      isPartnerTenant: false,
      userConsentBlocked: false,
      adminConsentGranted: false,
    };
    state.tenants.push(tenant);
    tenants.push(tenant);
  }

  // Each tenant's ordinal (its place in the world) keeps object IDs distinct across tenants.
  const plan = tenants.map((tenant) => {
    const ordinal = state.tenants.indexOf(tenant);
    const subscriptions = state.subscriptions.filter((s) => s.tenantId === tenant.id);
    for (let j = subscriptions.length; j < input.subscriptionsPerTenant; j++) {
      const subscription: SandboxSubscription = {
        subscriptionId: `5b0c${hex(ordinal, 4)}-0000-4000-8000-${hex(j + 1, 12)}`,
        tenantId: tenant.id,
        displayName: `${tenant.displayName} subscription ${j + 1}`,
        state: 'Enabled',
      };
      state.subscriptions.push(subscription);
      subscriptions.push(subscription);
    }
    return {
      tenant,
      ordinal,
      role: input.role(tenant),
      subscriptions: subscriptions.slice(0, input.subscriptionsPerTenant),
    };
  });

  const users: BulkConsultantsResult['users'] = [];
  const first = nextNumber(
    /^consultant-(\d+)@/,
    state.users.map((u) => u.upn),
  );
  for (let k = first; k < first + input.count; k++) {
    const userId = `0b0c0000-0000-4000-8000-${hex(k, 12)}`;
    const upn = `consultant-${k}@${partner.defaultDomain}`;
    state.users.push({
      id: userId,
      homeTenantId: partner.id,
      upn,
      displayName: `Consultant ${k}`,
      disabled: false,
      tokensValidAfter: null,
      refreshError: null,
    });
    state.identities.push({ tenantId: partner.id, userId, objectId: userId, kind: 'member', removed: false });
    const identities = [];
    for (const { tenant, ordinal, role, subscriptions } of plan) {
      const objectId = `0b0c${hex(ordinal, 4)}-0000-4000-8000-${hex(k, 12)}`;
      state.identities.push({ tenantId: tenant.id, userId, objectId, kind: 'guest', removed: false });
      subscriptions.forEach((subscription, j) => {
        state.roleAssignments.push({
          id: `a55b${hex(ordinal, 4)}-${hex(j, 4)}-4000-8000-${hex(k, 12)}`,
          tenantId: tenant.id,
          scope: `/subscriptions/${subscription.subscriptionId}`,
          roleDefinitionId: role.id,
          principalId: objectId,
          principalType: 'User',
          createdOn: input.now,
        });
      });
      if (input.partnerId) {
        state.partnerLinks.push({
          tenantId: tenant.id,
          objectId,
          partnerId: input.partnerId,
          etag: 1,
          version: 1,
          createdTime: input.now,
          updatedTime: input.now,
          state: 'Active',
        });
      }
      identities.push({ tenantId: tenant.id, objectId });
    }
    users.push({ upn, userId, identities });
  }

  return {
    tenants: plan.map(({ tenant, subscriptions }) => ({
      id: tenant.id,
      displayName: tenant.displayName,
      subscriptions: subscriptions.map((s) => s.subscriptionId),
    })),
    users,
  };
}
