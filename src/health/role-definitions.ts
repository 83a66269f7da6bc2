import type {
  ArmResult,
  BearerToken,
  ResourceManager,
  RoleDefinitionInfo,
} from '../azure/resource-manager.ts';
import { roleGuid } from './roles.ts';

/**
 * Role definitions for one run, fetched once per tenant and role GUID: thousands of associations in a
 * tenant share a handful of roles. Custom roles belong to one tenant, so the tenant is part of the key.
 * Concurrent lookups of the same key share one request; a failed one is forgotten so the next
 * association in the run asks again.
 */
export function createRoleDefinitionCache(arm: Pick<ResourceManager, 'getRoleDefinition'>) {
  const pending = new Map<string, Promise<ArmResult<RoleDefinitionInfo | null>>>();
  return {
    get(
      token: BearerToken,
      tenantId: string,
      roleDefinitionId: string,
    ): Promise<ArmResult<RoleDefinitionInfo | null>> {
      const key = `${tenantId.toLowerCase()}:${roleGuid(roleDefinitionId)}`;
      let found = pending.get(key);
      if (!found) {
        found = arm.getRoleDefinition(token, roleDefinitionId);
        pending.set(key, found);
        const forget = () => pending.delete(key);
        found.then((result) => result.ok || forget(), forget);
      }
      return found;
    },
  };
}

export type RoleDefinitionCache = ReturnType<typeof createRoleDefinitionCache>;
