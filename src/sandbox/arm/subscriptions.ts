import type { Router } from 'express';
import type { SandboxSubscription } from '../world/model.ts';
import type { World } from '../world/world.ts';
import { sendJson } from './errors.ts';
import { type ArmDeps, armHandler } from './pipeline.ts';
import { scopeWithin } from './scopes.ts';

export function subscriptionDescription(subscription: SandboxSubscription) {
  return {
    id: `/subscriptions/${subscription.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: subscription.subscriptionId,
    tenantId: subscription.tenantId,
    displayName: subscription.displayName,
    state: subscription.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

/**
 * The subscriptions of the token's tenant the caller can see: those where the caller, or a group
 * it belongs to (transitively), holds any role assignment at or below the subscription.
 */
export function visibleSubscriptions(
  world: World,
  tenantId: string,
  objectId: string,
): SandboxSubscription[] {
  const principals = world.principalIdsFor(tenantId, objectId);
  const scopes = world
    .assignmentsOf(principals)
    .filter((a) => a.tenantId.toLowerCase() === tenantId.toLowerCase())
    .map((a) => a.scope);
  return world
    .subscriptionsOf(tenantId)
    .filter((s) => s.state !== 'Deleted')
    .filter((s) => scopes.some((scope) => scopeWithin(scope, `/subscriptions/${s.subscriptionId}`)));
}

/** `GET /subscriptions` (any api-version): only the token's tenant, as the live service does. */
export function registerSubscriptionRoutes(router: Router, deps: ArmDeps): void {
  const { world } = deps.context;
  router.get(
    '/subscriptions',
    armHandler(deps, { operation: 'subscriptions.list', level: 'tenant' }, (_req, res, caller) => {
      const value = visibleSubscriptions(world, caller.tenantId, caller.objectId).map(
        subscriptionDescription,
      );
      sendJson(res, 200, { value, count: { type: 'Total', value: value.length } });
    }),
  );
}
