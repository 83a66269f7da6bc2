import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import { type VerifiedCaller, verifyAccessToken } from '../tokens.ts';
import type { ArmCallCounter } from './calls.ts';
import { MESSAGES, sendArmError } from './errors.ts';
import { breakConnection, delay, rollFault, sendFault } from './faults.ts';

export interface ArmDeps {
  context: SandboxContext;
  calls: ArmCallCounter;
}

export interface ArmOperation {
  /** Name the call counter files this call under, e.g. `partners.get`. */
  operation: string;
  /** Where ARM would meter it: throttling headers say `subscription` or `tenant`. */
  level: 'subscription' | 'tenant';
  /** A provider that serves only these versions refuses others, as ARM does. Absent: any. */
  apiVersions?: readonly string[];
  /** The resource type named in that refusal. */
  resourceType?: string;
}

export type ArmHandler = (req: Request, res: Response, caller: VerifiedCaller) => void | Promise<void>;

/**
 * What Resource Manager does before a provider sees a request, in order: latency, api-version,
 * bearer token, then the fault dice (only ARM routes meet faults; the identity platform does not).
 * Every call is counted when its response is finished, whatever the outcome; a call whose connection
 * the dice broke (reset, never answered) is counted with status 0 once the connection is gone.
 */
export function armHandler(deps: ArmDeps, op: ArmOperation, handler: ArmHandler): RequestHandler {
  const { context, calls } = deps;
  return async (req, res) => {
    let caller: VerifiedCaller | undefined;
    res.on('finish', () => {
      const roleDefinitionId = res.locals.roleDefinitionId as string | undefined;
      calls.record({
        operation: op.operation,
        tenantId: caller?.tenantId,
        status: res.statusCode,
        ...(roleDefinitionId ? { roleDefinitionId } : {}),
      });
    });
    const requestId = randomUUID();
    res.set({ 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': requestId });
    await delay(context.world.knobs().latencyMs);

    const apiVersion = req.query['api-version'];
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      sendArmError(res, 400, 'MissingApiVersionParameter', MESSAGES.missingApiVersion);
      return;
    }
    if (op.apiVersions && !op.apiVersions.includes(apiVersion)) {
      sendArmError(
        res,
        400,
        'NoRegisteredProviderFound',
        `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${op.resourceType ?? 'unknown'}'. The supported api-versions are '${op.apiVersions.join(', ')}'.`,
      );
      return;
    }

    const check = await verifyAccessToken(context, req.headers.authorization);
    if (!check.ok) {
      sendUnauthorized(res, context.baseUrl, check.code, check.message);
      return;
    }
    caller = check.caller;

    const fault = rollFault(context.world.knobs(), context.random);
    if (fault.kind === 'reset' || fault.kind === 'hang') {
      // No response ever finishes: counted here, under status 0 ("no answer").
      await breakConnection(res, fault);
      calls.record({ operation: op.operation, tenantId: caller.tenantId, status: 0 });
      return;
    }
    if (fault.kind !== 'none') {
      sendFault(res, fault, op.level);
      return;
    }
    try {
      await handler(req, res, caller);
    } catch (error) {
      context.logger.error({ err: error, operation: op.operation }, 'simulated ARM handler failed');
      if (!res.headersSent) {
        sendArmError(res, 500, 'InternalServerError', 'Encountered internal server error.');
      }
    }
  };
}

/**
 * A 401 with ARM's `WWW-Authenticate` challenge. `authorityTenant` names the tenant a token must
 * come from, as ARM does when a token from the wrong tenant meets a subscription.
 */
export function sendUnauthorized(
  res: Response,
  baseUrl: string,
  code: string,
  message: string,
  authorityTenant = '',
): void {
  const description = message.replace(/"/g, "'");
  res.set(
    'WWW-Authenticate',
    `Bearer authorization_uri="${baseUrl}/${authorityTenant}", error="invalid_token", error_description="${description}"`,
  );
  sendArmError(res, 401, code, message);
}
