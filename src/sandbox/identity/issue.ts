import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { SandboxContext } from '../context.ts';
import { ACCESS_TOKEN_LIFETIME_SECONDS, issueAccessToken } from '../tokens.ts';
import type { SandboxTenant, SandboxUser, TenantIdentity } from '../world/model.ts';
import { GRAPH_AUDIENCE, type ScopeGrant } from './scopes.ts';

const ID_TOKEN_LIFETIME_SECONDS = 3600;
/** Microsoft's refresh tokens live 90 days and slide: each use returns a fresh one. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 86_400;
const REFRESH_TOKEN_USE = 'sandbox_refresh';

export interface TokenSubject {
  user: SandboxUser;
  identity: TenantIdentity;
  tenant: SandboxTenant;
}

/** `client_info`: MSAL derives the account's homeAccountId (`uid.utid`) from it. */
export function clientInfo(user: SandboxUser): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: user.homeTenantId })).toString('base64url');
}

/** Microsoft's `sub` is pairwise: stable per user and app, different for every app. */
function pairwiseSubject(objectId: string, clientId: string): string {
  return createHash('sha256').update(`${objectId}:${clientId}`).digest('base64url').slice(0, 43);
}

async function idToken(
  context: SandboxContext,
  subject: TokenSubject,
  nonce: string | undefined,
  withEmail: boolean,
) {
  const { user, identity, tenant } = subject;
  // App roles are assigned on the app's service principal in the partner's tenant, so only tokens
  // issued there carry them, as at Microsoft.
  const roles = tenant.isPartnerTenant ? (user.appRoles ?? []) : [];
  return context.keys.sign(
    {
      aud: context.app.clientId,
      iss: `${context.baseUrl}/${tenant.id}/v2.0`,
      tid: tenant.id,
      oid: identity.objectId,
      sub: pairwiseSubject(identity.objectId, context.app.clientId),
      // A guest's preferred_username is their home sign-in name, as in a real B2B guest's token.
      preferred_username: user.upn,
      name: user.displayName,
      ver: '2.0',
      uti: randomUUID(),
      ...(identity.kind === 'guest' ? { idp: `https://sts.windows.net/${user.homeTenantId}/` } : {}),
      ...(nonce ? { nonce } : {}),
      ...(withEmail ? { email: user.upn } : {}),
      ...(roles.length > 0 ? { roles } : {}),
    },
    { issuedAt: context.clock.now(), expiresInSeconds: ID_TOKEN_LIFETIME_SECONDS },
  );
}

/** A Graph-audience token for requests that named no resource; the sandbox's ARM rejects its audience. */
async function graphAccessToken(context: SandboxContext, subject: TokenSubject) {
  return context.keys.sign(
    {
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${subject.tenant.id}/`,
      tid: subject.tenant.id,
      oid: subject.identity.objectId,
      scp: 'openid profile email User.Read',
      ver: '1.0',
    },
    { issuedAt: context.clock.now(), expiresInSeconds: ACCESS_TOKEN_LIFETIME_SECONDS },
  );
}

/**
 * Refresh tokens are JWTs signed by the sandbox key, so they survive a restart with the key. They
 * name the person, not a tenant: one refresh token serves every tenant of the account. `grant_ms`
 * is the original sign-in (kept through rotation) so revoking sessions invalidates the whole chain.
 */
export async function mintRefreshToken(
  context: SandboxContext,
  claims: { userId: string; clientId: string; grantIssuedAt: Date },
): Promise<string> {
  return context.keys.sign(
    {
      token_use: REFRESH_TOKEN_USE,
      uid: claims.userId,
      cid: claims.clientId,
      grant_ms: claims.grantIssuedAt.getTime(),
    },
    { issuedAt: context.clock.now(), expiresInSeconds: REFRESH_TOKEN_LIFETIME_SECONDS, type: 'RT' },
  );
}

export type RefreshTokenRead =
  | { ok: true; userId: string; clientId: string; grantIssuedAt: Date }
  | { ok: false; reason: 'malformed' | 'expired'; issuedAt?: Date };

export async function readRefreshToken(context: SandboxContext, token: string): Promise<RefreshTokenRead> {
  const now = context.clock.now();
  const claims = await context.keys.verify(token, now);
  if (claims) {
    const { token_use, uid, cid, grant_ms } = claims;
    if (token_use !== REFRESH_TOKEN_USE || typeof uid !== 'string' || typeof cid !== 'string') {
      return { ok: false, reason: 'malformed' };
    }
    const grantIssuedAt = new Date(typeof grant_ms === 'number' ? grant_ms : (claims.iat ?? 0) * 1000);
    return { ok: true, userId: uid, clientId: cid, grantIssuedAt };
  }
  // Tell an expired token (700082, sign in again) from garbage: verify it just before it expired.
  try {
    const { exp, iat, token_use } = decodeJwt(token);
    if (token_use === REFRESH_TOKEN_USE && exp && exp * 1000 <= now.getTime()) {
      const stillValid = await context.keys.verify(token, new Date(exp * 1000 - 1000));
      if (stillValid) return { ok: false, reason: 'expired', issuedAt: new Date((iat ?? 0) * 1000) };
    }
  } catch {
    // Not a JWT at all.
  }
  return { ok: false, reason: 'malformed' };
}

export interface TokenResponseInput {
  subject: TokenSubject;
  scopes: Extract<ScopeGrant, { ok: true }>;
  nonce?: string | undefined;
  grantIssuedAt: Date;
  includeRefreshToken: boolean;
}

/** The JSON a successful delegated token request answers with. */
export async function buildTokenResponse(
  context: SandboxContext,
  input: TokenResponseInput,
): Promise<Record<string, unknown>> {
  const { subject, scopes } = input;
  const accessToken =
    scopes.resource === 'arm'
      ? await issueAccessToken(context, {
          tenantId: subject.tenant.id,
          objectId: subject.identity.objectId,
          upn: subject.user.upn,
          name: subject.user.displayName,
          scp: 'user_impersonation',
        })
      : await graphAccessToken(context, subject);
  return {
    token_type: 'Bearer',
    scope: scopes.granted,
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
    ...(input.includeRefreshToken
      ? {
          refresh_token: await mintRefreshToken(context, {
            userId: subject.user.id,
            clientId: context.app.clientId,
            grantIssuedAt: input.grantIssuedAt,
          }),
        }
      : {}),
    ...(scopes.openid ? { id_token: await idToken(context, subject, input.nonce, scopes.email) } : {}),
    client_info: clientInfo(subject.user),
  };
}
