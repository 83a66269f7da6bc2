import { createHash } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import { ACCESS_TOKEN_LIFETIME_SECONDS, issueAccessToken } from '../tokens.ts';
import { checkAccess } from './accounts.ts';
import type { Authority } from './authority.ts';
import { stringParam } from './authorize-request.ts';
import { codeStoreFor } from './codes.ts';
import type { AadErrorParams } from './errors.ts';
import { buildTokenResponse, readRefreshToken } from './issue.ts';
import { verifierMatches } from './pkce.ts';
import { parseScopes, resolveScopes } from './scopes.ts';

export type GrantOutcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: number; params: AadErrorParams };

export interface GrantRequest {
  context: SandboxContext;
  authority: Authority;
  body: Record<string, unknown>;
  /** Already authenticated by the token endpoint. */
  clientId: string;
  /** Set for another app's service principal (its own object ID), rather than PAL Manager's app. */
  servicePrincipal?: { objectId: string };
}

const fail = (code: number, params: AadErrorParams = {}): GrantOutcome => ({ ok: false, code, params });

/** `grant_type=authorization_code`: a picked account's code, redeemed once, with its PKCE proof. */
export async function redeemAuthorizationCode({
  context,
  authority,
  body,
  clientId,
}: GrantRequest): Promise<GrantOutcome> {
  const p = (name: string) => stringParam(body, name);
  const code = p('code');
  if (!code) return fail(900144, { parameter: 'code' });
  const redemption = codeStoreFor(context).redeem(code, context.clock.now());
  if (!redemption.ok) {
    if (redemption.reason === 'redeemed') return fail(54005);
    if (redemption.reason === 'expired') return fail(70008);
    return fail(70000, { parameter: 'code' });
  }
  const { grant } = redemption;
  if (grant.clientId.toLowerCase() !== clientId.toLowerCase()) return fail(70000, { parameter: 'code' });
  // A code from a tenant-specific sign-in is only good at that tenant's (or a multi-tenant) endpoint.
  if (authority.kind === 'tenant' && authority.tenant.id !== grant.tenantId)
    return fail(70000, { parameter: 'code' });
  const redirectUri = p('redirect_uri');
  if (!redirectUri) return fail(900144, { parameter: 'redirect_uri' });
  if (redirectUri !== grant.redirectUri) {
    return fail(500112, { redirectUri, expectedRedirectUri: grant.redirectUri });
  }
  const verifier = p('code_verifier');
  if (!verifier) return fail(900144, { parameter: 'code_verifier' });
  if (!verifierMatches(verifier, grant.codeChallenge)) return fail(501481);

  // The code's consented scopes plus what the redemption asks for (MSAL repeats them).
  const scopes = resolveScopes([...new Set([...grant.scopes, ...parseScopes(p('scope'))])]);
  if (!scopes.ok) return fail(70011, { scope: scopes.invalidScope });
  const access = checkAccess(context.world, {
    userId: grant.userId,
    tenantId: grant.tenantId,
    clientId,
    appName: context.app.displayName,
  });
  if (!access.ok) return fail(access.code, access.params);
  const tokens = await buildTokenResponse(context, {
    subject: access,
    scopes,
    nonce: grant.nonce,
    grantIssuedAt: grant.issuedAt,
    includeRefreshToken: scopes.offlineAccess,
  });
  return { ok: true, body: tokens };
}

/**
 * `grant_type=refresh_token`: one refresh token serves every tenant where the account has an
 * identity; the authority in the path picks the tenant (its home one via organizations/common).
 */
export async function redeemRefreshToken({
  context,
  authority,
  body,
  clientId,
}: GrantRequest): Promise<GrantOutcome> {
  const p = (name: string) => stringParam(body, name);
  const token = p('refresh_token');
  if (!token) return fail(900144, { parameter: 'refresh_token' });
  const scopeParam = p('scope');
  if (!scopeParam) return fail(900144, { parameter: 'scope' });
  const scopes = resolveScopes(parseScopes(scopeParam));
  if (!scopes.ok) return fail(70011, { scope: scopes.invalidScope });
  const read = await readRefreshToken(context, token);
  if (!read.ok) {
    return read.reason === 'expired'
      ? fail(700082, { issuedAt: read.issuedAt?.toISOString() ?? '' })
      : fail(70000, { parameter: "refresh_token' or 'assertion" });
  }
  if (read.clientId.toLowerCase() !== clientId.toLowerCase())
    return fail(70000, { parameter: 'refresh_token' });
  const tenantId =
    authority.kind === 'tenant' ? authority.tenant.id : (context.world.user(read.userId)?.homeTenantId ?? '');
  const access = checkAccess(context.world, {
    userId: read.userId,
    tenantId,
    clientId,
    appName: context.app.displayName,
    grantIssuedAt: read.grantIssuedAt,
    applyRefreshKnob: true,
  });
  if (!access.ok) return fail(access.code, access.params);
  // Rotation: every refresh answers with a new refresh token that keeps the original sign-in time.
  const tokens = await buildTokenResponse(context, {
    subject: access,
    scopes,
    grantIssuedAt: read.grantIssuedAt,
    includeRefreshToken: true,
  });
  return { ok: true, body: tokens };
}

/** The app's own object ID in a tenant: stable, and different in every tenant, like a service principal's. */
export function servicePrincipalObjectId(clientId: string, tenantId: string): string {
  const hex = createHash('sha256').update(`sp:${clientId}:${tenantId}`.toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `grant_type=client_credentials`: an app-only Resource Manager token where the app is installed. */
export async function issueAppOnlyToken({
  context,
  authority,
  body,
  clientId,
  servicePrincipal,
}: GrantRequest): Promise<GrantOutcome> {
  if (authority.kind === 'multi') return fail(900023, { tenant: authority.segment });
  const scope = stringParam(body, 'scope');
  if (!scope) return fail(900144, { parameter: 'scope' });
  const requested = parseScopes(scope);
  const scopes = resolveScopes(requested);
  if (!scopes.ok) return fail(70011, { scope: scopes.invalidScope });
  if (scopes.resource !== 'arm' || !scopes.isDefault || requested.length !== 1)
    return fail(1002012, { scope });
  const { tenant } = authority;
  // Without a service principal (the partner's own tenant, or an admin consent) the app is unknown there.
  if (!servicePrincipal && !tenant.isPartnerTenant && !tenant.adminConsentGranted) {
    return fail(700016, { clientId, tenant: tenant.defaultDomain, tenantName: tenant.displayName });
  }
  const accessToken = await issueAccessToken(context, {
    tenantId: tenant.id,
    objectId: servicePrincipal?.objectId ?? servicePrincipalObjectId(clientId, tenant.id),
    idtyp: 'app',
    appId: clientId,
  });
  return {
    ok: true,
    body: {
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    },
  };
}
