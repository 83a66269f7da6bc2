import { partnerNameOf } from '../arm/partner-links.ts';
import type { World } from '../world/world.ts';

/**
 * A readable picture of the world for people (the demo) and tests: names instead of bare IDs.
 * Long lists are cut at `limit` (a benchmark world has thousands of consultants); `counts` always
 * gives the totals and `/world/raw` the whole state.
 */
export function worldSummary(world: World, limit = 500) {
  const { state } = world;
  const tenantName = (id: string) => world.tenant(id)?.displayName ?? id;
  const principalName = (tenantId: string, id: string) => {
    const identity = world.identityByObjectId(tenantId, id);
    if (identity) return world.user(identity.userId)?.upn ?? id;
    const group = world.group(tenantId, id);
    return group ? `group: ${group.displayName}` : id;
  };
  const cut = <T>(items: T[]) => items.slice(0, limit);
  return {
    counts: {
      tenants: state.tenants.length,
      users: state.users.length,
      identities: state.identities.length,
      groups: state.groups.length,
      subscriptions: state.subscriptions.length,
      roleAssignments: state.roleAssignments.length,
      partnerLinks: state.partnerLinks.length,
    },
    truncatedAt: limit,
    knobs: state.knobs,
    knownPartnerIds: state.knownPartnerIds,
    tenants: cut(state.tenants).map((t) => ({
      ...t,
      subscriptions: world.subscriptionsOf(t.id).map((s) => ({
        id: s.subscriptionId,
        displayName: s.displayName,
        state: s.state,
      })),
    })),
    users: cut(state.users).map((u) => ({
      upn: u.upn,
      displayName: u.displayName,
      id: u.id,
      disabled: u.disabled,
      tokensValidAfter: u.tokensValidAfter,
      refreshError: u.refreshError,
      identities: world.identitiesOf(u.id).map((i) => ({
        tenant: tenantName(i.tenantId),
        tenantId: i.tenantId,
        objectId: i.objectId,
        kind: i.kind,
        removed: i.removed,
      })),
    })),
    groups: cut(state.groups).map((g) => ({
      tenant: tenantName(g.tenantId),
      id: g.id,
      displayName: g.displayName,
      members: g.memberIds.map((m) => principalName(g.tenantId, m)),
    })),
    roleAssignments: cut(state.roleAssignments).map((a) => ({
      id: a.id,
      tenant: tenantName(a.tenantId),
      scope: a.scope,
      role: world.roleDefinition(a.roleDefinitionId, a.tenantId)?.roleName ?? a.roleDefinitionId,
      principal: principalName(a.tenantId, a.principalId),
      principalType: a.principalType,
    })),
    partnerLinks: cut(state.partnerLinks).map((l) => ({
      tenant: tenantName(l.tenantId),
      principal: principalName(l.tenantId, l.objectId),
      objectId: l.objectId,
      partnerId: l.partnerId,
      partnerName: partnerNameOf(state.knownPartnerIds, l.partnerId) ?? null,
      state: l.state,
      version: l.version,
      updatedTime: l.updatedTime,
    })),
  };
}
