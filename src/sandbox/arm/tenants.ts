import type { Router } from 'express';
import type { SandboxTenant } from '../world/model.ts';
import type { World } from '../world/world.ts';
import { sendJson } from './errors.ts';
import { type ArmDeps, armHandler } from './pipeline.ts';

/**
 * One `TenantIdDescription` in the field order of live `GET /tenants` responses.
 *
 * `tenantCategory` is `Home` for every directory the account has an object in, member or guest:
 * `ProjectedBy`/`ManagedBy` describe Azure Lighthouse delegations, which this world does not
 * model (and which the production code must not rely on to find guest tenants).
 */
export function tenantDescription(tenant: SandboxTenant) {
  return {
    id: `/tenants/${tenant.id}`,
    tenantId: tenant.id,
    countryCode: 'GB',
    displayName: tenant.displayName,
    domains: [tenant.defaultDomain],
    tenantCategory: 'Home',
    defaultDomain: tenant.defaultDomain,
    tenantType: 'AAD',
  };
}

/** The tenants where the token's account has a live identity, home tenant first. */
export function tenantsOfCaller(world: World, tenantId: string, objectId: string): SandboxTenant[] {
  const identity = world.identityByObjectId(tenantId, objectId);
  if (!identity) return [];
  const user = world.user(identity.userId);
  const identities = world
    .identitiesOf(identity.userId)
    .filter((i) => !i.removed)
    .sort((a, b) => Number(b.tenantId === user?.homeTenantId) - Number(a.tenantId === user?.homeTenantId));
  return identities.flatMap((i) => world.tenant(i.tenantId) ?? []);
}

/**
 * `GET /tenants`: every tenant the account can reach, whichever tenant the token came from.
 * A token for an object the world does not know (a fixture caller) sees only its own tenant,
 * if the world has it.
 */
export function registerTenantRoutes(router: Router, deps: ArmDeps): void {
  const { world } = deps.context;
  router.get(
    '/tenants',
    armHandler(deps, { operation: 'tenants.list', level: 'tenant' }, (_req, res, caller) => {
      let tenants = tenantsOfCaller(world, caller.tenantId, caller.objectId);
      if (tenants.length === 0) tenants = [world.tenant(caller.tenantId)].flatMap((t) => t ?? []);
      sendJson(res, 200, { value: tenants.map(tenantDescription) });
    }),
  );
}
