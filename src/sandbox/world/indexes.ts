import type {
  SandboxGroup,
  SandboxPartnerLink,
  SandboxRoleAssignment,
  SandboxSubscription,
  SandboxTenant,
  SandboxUser,
  TenantIdentity,
  WorldState,
} from './model.ts';

/**
 * Map-based lookups over the world. The health benchmark makes ~25,000 Resource Manager calls
 * against a world of ~20,000 identities; a linear `find` per call would dominate the run.
 * Keys follow the matching rules of the original finders (tenant IDs and UPNs case-insensitive,
 * user and group IDs exact); where two entries share a key, the first one wins, as `find` did.
 */
export interface WorldIndex {
  tenantByKey: Map<string, SandboxTenant>;
  userById: Map<string, SandboxUser>;
  userByUpn: Map<string, SandboxUser>;
  identityByUserTenant: Map<string, TenantIdentity>;
  identityByObject: Map<string, TenantIdentity>;
  identitiesByUser: Map<string, TenantIdentity[]>;
  /** `${tenantId}|${memberId}` → the groups that list that member directly. */
  groupsByMember: Map<string, SandboxGroup[]>;
  groupByKey: Map<string, SandboxGroup>;
  subscriptionById: Map<string, SandboxSubscription>;
  subscriptionsByTenant: Map<string, SandboxSubscription[]>;
  /** principal object ID (lower case) → its direct assignments. */
  assignmentsByPrincipal: Map<string, SandboxRoleAssignment[]>;
  /** subscription ID (lower case) → assignments at or below that subscription. */
  assignmentsBySubscription: Map<string, SandboxRoleAssignment[]>;
}

export const lower = (s: string) => s.toLowerCase();
export const pairKey = (a: string, b: string) => `${a}|${b}`;

/** The subscription ID at the head of a scope (`/subscriptions/{id}/…`), lower case. */
export function subscriptionOfScope(scope: string): string | undefined {
  const match = /^\/subscriptions\/([^/]+)/i.exec(scope);
  return match?.[1]?.toLowerCase();
}

function setFirst<K, V>(map: Map<K, V>, key: K, value: V) {
  if (!map.has(key)) map.set(key, value);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildIndex(state: WorldState): WorldIndex {
  const index: WorldIndex = {
    tenantByKey: new Map(),
    userById: new Map(),
    userByUpn: new Map(),
    identityByUserTenant: new Map(),
    identityByObject: new Map(),
    identitiesByUser: new Map(),
    groupsByMember: new Map(),
    groupByKey: new Map(),
    subscriptionById: new Map(),
    subscriptionsByTenant: new Map(),
    assignmentsByPrincipal: new Map(),
    assignmentsBySubscription: new Map(),
  };
  for (const tenant of state.tenants) {
    setFirst(index.tenantByKey, lower(tenant.id), tenant);
    setFirst(index.tenantByKey, lower(tenant.defaultDomain), tenant);
  }
  for (const user of state.users) {
    setFirst(index.userById, user.id, user);
    setFirst(index.userByUpn, lower(user.upn), user);
  }
  for (const identity of state.identities) {
    setFirst(index.identityByUserTenant, pairKey(identity.userId, lower(identity.tenantId)), identity);
    setFirst(index.identityByObject, pairKey(lower(identity.tenantId), lower(identity.objectId)), identity);
    push(index.identitiesByUser, identity.userId, identity);
  }
  for (const group of state.groups) {
    setFirst(index.groupByKey, pairKey(group.tenantId, group.id), group);
    for (const member of group.memberIds) push(index.groupsByMember, pairKey(group.tenantId, member), group);
  }
  for (const subscription of state.subscriptions) {
    setFirst(index.subscriptionById, lower(subscription.subscriptionId), subscription);
    push(index.subscriptionsByTenant, lower(subscription.tenantId), subscription);
  }
  for (const assignment of state.roleAssignments) {
    push(index.assignmentsByPrincipal, lower(assignment.principalId), assignment);
    const subscriptionId = subscriptionOfScope(assignment.scope);
    if (subscriptionId) push(index.assignmentsBySubscription, subscriptionId, assignment);
  }
  return index;
}

/**
 * PAL links get their own small index: every PUT may add one, and rebuilding the whole world's
 * index for that would make each onboarding write cost O(identities).
 */
export function buildLinkIndex(state: WorldState): Map<string, SandboxPartnerLink> {
  const links = new Map<string, SandboxPartnerLink>();
  for (const link of state.partnerLinks) {
    setFirst(links, pairKey(lower(link.tenantId), lower(link.objectId)), link);
  }
  return links;
}

/**
 * A cheap fingerprint of what the index depends on: each array's identity and length, and the
 * total group membership. It notices arrays replaced (reset, filter), grown (push) or shrunk
 * (splice) with or without `change()`, so identity-platform writes that touch nothing indexed
 * never force a rebuild. Editing an ID in place is not noticed: call `world.reindex()` after that.
 */
export function indexStamp(state: WorldState): unknown[] {
  let members = 0;
  for (const group of state.groups) members += group.memberIds.length;
  const arrays = [
    state.tenants,
    state.users,
    state.identities,
    state.groups,
    state.subscriptions,
    state.roleAssignments,
  ];
  return [...arrays, ...arrays.map((a) => a.length), members];
}

export function linkStamp(state: WorldState): unknown[] {
  return [state.partnerLinks, state.partnerLinks.length];
}

export function sameStamp(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
