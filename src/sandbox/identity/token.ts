import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import { resolveAuthority } from './authority.ts';
import { stringParam } from './authorize-request.ts';
import {
  type GrantOutcome,
  type GrantRequest,
  issueAppOnlyToken,
  redeemAuthorizationCode,
  redeemRefreshToken,
} from './grants.ts';
import { sendAadError, sendJson } from './respond.ts';
import { authenticateServicePrincipal } from './service-principals.ts';

const GRANTS = new Map<string, (request: GrantRequest) => Promise<GrantOutcome>>([
  ['authorization_code', redeemAuthorizationCode],
  ['refresh_token', redeemRefreshToken],
  ['client_credentials', issueAppOnlyToken],
]);

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `client_secret_basic`: MSAL posts the secret in the body, but other clients use the header. */
function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/**
 * POST /{tenant}/oauth2/v2.0/token. Client authentication comes first, as at Microsoft: a wrong
 * secret is a 401 `invalid_client` whatever the grant, which is how a misconfigured deployment
 * tells itself apart from a person who must sign in again.
 */
export function tokenEndpoint(context: SandboxContext) {
  return async (req: Request, res: Response) => {
    const segment = String(req.params.tenant);
    const authority = resolveAuthority(context.world, segment);
    if (!authority) return sendAadError(context, req, res, 90002, { tenant: segment });
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const grantType = stringParam(body, 'grant_type');
    if (!grantType) return sendAadError(context, req, res, 900144, { parameter: 'grant_type' });

    const basic = basicCredentials(req);
    const clientId = stringParam(body, 'client_id') ?? basic?.id;
    if (!clientId) return sendAadError(context, req, res, 900144, { parameter: 'client_id' });
    const params = {
      clientId,
      appName: context.app.displayName,
      tenant: authority.kind === 'multi' ? authority.segment : authority.tenant.defaultDomain,
      tenantName: authority.kind === 'multi' ? authority.segment : authority.tenant.displayName,
    };
    if (clientId.toLowerCase() !== context.app.clientId.toLowerCase()) {
      return servicePrincipalGrant(context, req, res, {
        body,
        grantType,
        clientId,
        basic,
        authority,
        params,
      });
    }
    if (stringParam(body, 'client_assertion')) return sendAadError(context, req, res, 700027, params);
    const secret = stringParam(body, 'client_secret') ?? basic?.secret;
    if (!secret) return sendAadError(context, req, res, 7000218, params);
    if (!sameSecret(secret, context.app.clientSecret))
      return sendAadError(context, req, res, 7000215, params);

    const grant = GRANTS.get(grantType);
    if (!grant) return sendAadError(context, req, res, 70003, { grantType });
    const outcome = await grant({ context, authority, body, clientId: context.app.clientId });
    if (!outcome.ok) return sendAadError(context, req, res, outcome.code, outcome.params);
    sendJson(res, 200, outcome.body);
  };
}

/**
 * Another app than PAL Manager's own: a service principal of the world (a pipeline's, the partner's
 * automation). Only the client-credentials grant, only in the tenant its service principal lives in,
 * authenticated by secret or by certificate assertion.
 */
async function servicePrincipalGrant(
  context: SandboxContext,
  req: Request,
  res: Response,
  input: {
    body: Record<string, unknown>;
    grantType: string;
    clientId: string;
    basic: { id: string; secret: string } | undefined;
    authority: NonNullable<ReturnType<typeof resolveAuthority>>;
    params: { clientId: string; appName: string; tenant: string; tenantName: string };
  },
) {
  const { authority, clientId } = input;
  const sp = (context.world.state.servicePrincipals ?? []).find(
    (candidate) => candidate.clientId.toLowerCase() === clientId.toLowerCase(),
  );
  const params = { ...input.params, appName: sp?.displayName ?? 'application' };
  if (!sp || sp.removed || authority.kind !== 'tenant' || authority.tenant.id !== sp.tenantId) {
    return sendAadError(context, req, res, 700016, params);
  }
  const auth = await authenticateServicePrincipal(
    sp,
    {
      secret: stringParam(input.body, 'client_secret') ?? input.basic?.secret,
      assertion: stringParam(input.body, 'client_assertion'),
      tokenEndpoint: `${context.baseUrl}${req.originalUrl.split('?')[0]}`,
    },
    context.clock.now(),
  );
  if (!auth.ok) return sendAadError(context, req, res, auth.code, params);
  if (input.grantType !== 'client_credentials')
    return sendAadError(context, req, res, 70003, { grantType: input.grantType });
  const outcome = await issueAppOnlyToken({
    context,
    authority,
    body: input.body,
    clientId: sp.clientId,
    servicePrincipal: { objectId: sp.objectId },
  });
  if (!outcome.ok) return sendAadError(context, req, res, outcome.code, outcome.params);
  sendJson(res, 200, outcome.body);
}
