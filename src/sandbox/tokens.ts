import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { SandboxContext } from './context.ts';

/** The audience Resource Manager tokens carry, as Microsoft issues them for ARM. */
export const ARM_AUDIENCE = 'https://management.azure.com/';
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;

export interface AccessTokenSubject {
  tenantId: string;
  objectId: string;
  /** Present for people; absent for service principals. */
  upn?: string;
  name?: string;
  /** Delegated scopes (people) — `user_impersonation`. */
  scp?: string;
  /** Application roles / marker for app-only tokens. */
  idtyp?: 'user' | 'app';
  /** The client the token was issued to; PAL Manager's own app when absent. */
  appId?: string;
}

/**
 * Mints a Resource Manager access token shaped like Microsoft's v1 ARM tokens: issuer
 * `https://sts.windows.net/{tid}/`, `tid` and `oid` naming the caller. ARM acts on exactly these two
 * claims, which is why a PAL call made with a token from the wrong tenant links the wrong identity.
 */
export async function issueAccessToken(
  context: SandboxContext,
  subject: AccessTokenSubject,
): Promise<string> {
  return context.keys.sign(
    {
      aud: ARM_AUDIENCE,
      iss: `https://sts.windows.net/${subject.tenantId}/`,
      tid: subject.tenantId,
      oid: subject.objectId,
      sub: subject.objectId,
      appid: subject.appId ?? context.app.clientId,
      idtyp: subject.idtyp ?? 'user',
      ver: '1.0',
      uti: randomUUID(),
      ...(subject.upn ? { upn: subject.upn, unique_name: subject.upn } : {}),
      ...(subject.name ? { name: subject.name } : {}),
      ...(subject.scp ? { scp: subject.scp } : {}),
    },
    { issuedAt: context.clock.now(), expiresInSeconds: ACCESS_TOKEN_LIFETIME_SECONDS },
  );
}

export interface VerifiedCaller {
  tenantId: string;
  objectId: string;
  upn: string | undefined;
}

export type AccessTokenCheck =
  | { ok: true; caller: VerifiedCaller }
  | { ok: false; code: 'InvalidAuthenticationToken' | 'ExpiredAuthenticationToken'; message: string };

/** What Resource Manager does with a bearer token before anything else. */
export async function verifyAccessToken(
  context: SandboxContext,
  authorization: string | undefined,
): Promise<AccessTokenCheck> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) {
    return {
      ok: false,
      code: 'InvalidAuthenticationToken',
      message: 'The access token is missing or has an invalid format.',
    };
  }
  const claims = await context.keys.verify(match[1], context.clock.now());
  if (!claims) {
    // Tell an expired token from a forged one, as ARM does, so clients refresh rather than give up.
    // Re-verify just before its own expiry: valid then means it is merely expired, not forged.
    const exp = expiryOf(match[1]);
    const expired = exp !== undefined && (await context.keys.verify(match[1], new Date(exp * 1000 - 1000)));
    return expired
      ? {
          ok: false,
          code: 'ExpiredAuthenticationToken',
          message: 'The access token expiry UTC time is earlier than current UTC time.',
        }
      : { ok: false, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
  }
  if (claims.aud !== ARM_AUDIENCE || typeof claims.tid !== 'string' || typeof claims.oid !== 'string') {
    return {
      ok: false,
      code: 'InvalidAuthenticationToken',
      message: 'The access token has been obtained for wrong audience or resource.',
    };
  }
  return {
    ok: true,
    caller: {
      tenantId: claims.tid,
      objectId: claims.oid,
      upn: typeof claims.upn === 'string' ? claims.upn : undefined,
    },
  };
}

function expiryOf(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}
