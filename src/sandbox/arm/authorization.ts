import type { Request, Response, Router } from 'express';
import type { VerifiedCaller } from '../tokens.ts';
import type { SandboxSubscription } from '../world/model.ts';
import { roleAssignmentResponse, roleDefinitionResponse } from './authorization-shapes.ts';
import { sendArmError, sendJson } from './errors.ts';
import { type ArmDeps, armHandler, sendUnauthorized } from './pipeline.ts';
import { inListing, parseRoleAssignmentFilter, relateScope } from './scopes.ts';

const AUTHZ = 'providers/Microsoft.Authorization';

/**
 * Microsoft.Authorization reads the health check relies on: role assignments of a subscription
 * (or one of its resource groups) and role definitions by ID (api-version 2022-04-01; any is accepted).
 */
export function registerAuthorizationRoutes(router: Router, deps: ArmDeps): void {
  const { world, baseUrl } = deps.context;

  /**
   * The subscription in the path, seen from the caller's token. A subscription of another tenant
   * is refused the way ARM refuses it — 401 InvalidAuthenticationTokenTenant naming the right
   * authority — which is what a token acquired for the wrong tenant meets in real life.
   */
  const subscriptionFor = (req: Request, res: Response, caller: VerifiedCaller) => {
    const id = String(req.params.subscriptionId);
    const subscription = world.subscription(id);
    if (!subscription || subscription.state === 'Deleted') {
      sendArmError(res, 404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
      return undefined;
    }
    if (subscription.tenantId.toLowerCase() !== caller.tenantId.toLowerCase()) {
      sendUnauthorized(
        res,
        baseUrl,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer 'https://sts.windows.net/${caller.tenantId}/'. It must match the tenant 'https://sts.windows.net/${subscription.tenantId}/' associated with this subscription. Please use the authority (URL) '${baseUrl}/${subscription.tenantId}' to get the token.`,
        subscription.tenantId,
      );
      return undefined;
    }
    return subscription;
  };

  const listAssignments = (req: Request, res: Response, caller: VerifiedCaller) => {
    const subscription = subscriptionFor(req, res, caller);
    if (!subscription) return;
    const subScope = `/subscriptions/${subscription.subscriptionId}`;
    const listScope = req.params.resourceGroupName
      ? `${subScope}/resourceGroups/${req.params.resourceGroupName}`
      : subScope;
    const raw = req.query.$filter;
    const parsed = parseRoleAssignmentFilter(typeof raw === 'string' ? raw : undefined);
    if (!parsed.ok) return sendArmError(res, 400, 'UnsupportedQuery', parsed.message);

    // Reading assignments needs some access to the subscription (Reader's */read would do):
    // a caller with no assignment there at all is refused, as ARM refuses it.
    const callerPrincipals = world.principalIdsFor(subscription.tenantId, caller.objectId);
    const callerHasAccess = world
      .assignmentsOf(callerPrincipals)
      .some((a) => relateScope(a.scope, subScope) !== 'unrelated');
    if (!callerHasAccess) {
      return sendArmError(
        res,
        403,
        'AuthorizationFailed',
        `The client '${caller.upn ?? caller.objectId}' with object id '${caller.objectId}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '${listScope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }

    const { principal, atScope } = parsed.filter;
    const principals =
      principal?.kind === 'assignedTo'
        ? world.principalIdsFor(subscription.tenantId, principal.id)
        : principal
          ? new Set([principal.id])
          : undefined;
    const candidates = principals
      ? world.assignmentsOf(principals)
      : world.assignmentsInSubscription(subscription.subscriptionId);
    const value = candidates
      .filter((a) => a.tenantId.toLowerCase() === subscription.tenantId.toLowerCase())
      .filter((a) => inListing(a.scope, listScope, atScope))
      .map((a) => roleAssignmentResponse(a, subscription.subscriptionId));
    sendJson(res, 200, { value });
  };

  const assignmentsOp = { operation: 'roleAssignments.list', level: 'subscription' } as const;
  router.get(
    `/subscriptions/:subscriptionId/${AUTHZ}/roleAssignments`,
    armHandler(deps, assignmentsOp, listAssignments),
  );
  router.get(
    `/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/${AUTHZ}/roleAssignments`,
    armHandler(deps, assignmentsOp, listAssignments),
  );

  /** A role definition by GUID; custom roles exist only in their own tenant. */
  const getDefinition = (
    req: Request,
    res: Response,
    tenantId: string,
    subscription: SandboxSubscription | undefined,
  ) => {
    const guid = String(req.params.roleId);
    res.locals.roleDefinitionId = guid;
    const definition = world.roleDefinition(guid, tenantId);
    if (!definition) {
      return sendArmError(
        res,
        404,
        'RoleDefinitionDoesNotExist',
        `The specified role definition with ID '${guid}' does not exist.`,
      );
    }
    const assignable =
      definition.tenantId === null
        ? ['/']
        : world.subscriptionsOf(definition.tenantId).map((s) => `/subscriptions/${s.subscriptionId}`);
    sendJson(res, 200, roleDefinitionResponse(definition, subscription?.subscriptionId, assignable));
  };

  const definitionOp = { operation: 'roleDefinitions.get', level: 'subscription' } as const;
  router.get(
    `/subscriptions/:subscriptionId/${AUTHZ}/roleDefinitions/:roleId`,
    armHandler(deps, definitionOp, (req, res, caller) => {
      const subscription = subscriptionFor(req, res, caller);
      if (subscription) getDefinition(req, res, subscription.tenantId, subscription);
    }),
  );
  router.get(
    `/${AUTHZ}/roleDefinitions/:roleId`,
    armHandler(deps, { ...definitionOp, level: 'tenant' }, (req, res, caller) =>
      getDefinition(req, res, caller.tenantId, undefined),
    ),
  );
}
