import { badRequest, notFound } from '../../platform/errors.ts';
import type { SandboxRoleDefinition, SandboxTenant, SandboxUser } from '../world/model.ts';
import type { World } from '../world/world.ts';

/**
 * Finding the world's objects from what a person types into the control API: tenants by ID or
 * domain, people by UPN, roles by name or GUID, principals by UPN or object ID.
 */

export function tenantOr404(world: World, idOrDomain: string): SandboxTenant {
  const tenant = world.tenant(idOrDomain);
  if (!tenant) throw notFound(`No tenant '${idOrDomain}' in the sandbox world`);
  return tenant;
}

export function userOr404(world: World, upn: string): SandboxUser {
  const user = world.userByUpn(upn);
  if (!user) throw notFound(`No user '${upn}' in the sandbox world`);
  return user;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A built-in role, or a custom role of this tenant, by GUID or (case-insensitive) name. */
export function roleOr404(world: World, tenant: SandboxTenant, role: string): SandboxRoleDefinition {
  const found = GUID.test(role)
    ? world.roleDefinition(role, tenant.id)
    : world.state.roleDefinitions.find(
        (r) =>
          r.roleName.toLowerCase() === role.toLowerCase() &&
          (r.tenantId === null || r.tenantId === tenant.id),
      );
  if (!found) throw notFound(`No role '${role}' is available in tenant ${tenant.displayName}`);
  return found;
}

export interface ResolvedPrincipal {
  objectId: string;
  principalType: 'User' | 'Group';
  /** What the summary shows: the UPN or the group's name. */
  label: string;
}

/** A UPN (that user's object in the tenant), or a group or identity object ID in the tenant. */
export function principalOr404(world: World, tenant: SandboxTenant, principal: string): ResolvedPrincipal {
  if (principal.includes('@')) {
    const user = userOr404(world, principal);
    const identity = world.identity(user.id, tenant.id);
    if (!identity) throw notFound(`${user.upn} has no identity in tenant ${tenant.displayName}`);
    return { objectId: identity.objectId, principalType: 'User', label: user.upn };
  }
  const group = world.group(tenant.id, principal);
  if (group) return { objectId: group.id, principalType: 'Group', label: group.displayName };
  const identity = world.identityByObjectId(tenant.id, principal);
  if (identity) {
    return {
      objectId: identity.objectId,
      principalType: 'User',
      label: world.user(identity.userId)?.upn ?? '',
    };
  }
  throw notFound(`No user, group or identity '${principal}' in tenant ${tenant.displayName}`);
}

/** `/subscriptions/{id}[/…]` (or a bare subscription ID) whose subscription is in the tenant. */
export function scopeInTenant(world: World, tenant: SandboxTenant, scope: string): string {
  const full = GUID.test(scope) ? `/subscriptions/${scope}` : scope.replace(/\/+$/, '');
  const match = /^\/subscriptions\/([^/]+)(\/resourceGroups\/[^/]+(\/.+)?)?$/i.exec(full);
  const subscription = match?.[1] ? world.subscription(match[1]) : undefined;
  if (!subscription || subscription.tenantId !== tenant.id) {
    throw badRequest(
      `scope: '${scope}' is not a subscription of ${tenant.displayName} (or a resource group in one); use /subscriptions/{id}[/resourceGroups/{name}]`,
    );
  }
  return `/subscriptions/${subscription.subscriptionId}${match?.[2] ?? ''}`;
}
