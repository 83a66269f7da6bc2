import { Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { registerAuthorizationRoutes } from './authorization.ts';
import { type ArmCallCounter, createArmCallCounter } from './calls.ts';
import { registerPartnerRoutes } from './partners.ts';
import { registerSubscriptionRoutes } from './subscriptions.ts';
import { registerTenantRoutes } from './tenants.ts';

/**
 * The simulated Azure Resource Manager, mounted at the root of the sandbox server beside the
 * identity platform. It matches only its own paths, so anything else falls through.
 * `calls` is shared with the control API, which reads and resets it.
 */
export function armRoutes(context: SandboxContext, calls: ArmCallCounter = createArmCallCounter()): Router {
  // ARM paths are case-insensitive (`microsoft.managementpartner` works as well).
  const router = Router({ caseSensitive: false });
  const deps = { context, calls };
  registerPartnerRoutes(router, deps);
  registerTenantRoutes(router, deps);
  registerSubscriptionRoutes(router, deps);
  registerAuthorizationRoutes(router, deps);
  return router;
}
