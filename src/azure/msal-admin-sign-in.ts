import type { AdminAccount, IdentityPlatform, Outcome } from './identity-platform.ts';
import type { MsalClientFactory } from './msal-client.ts';
import { classifyMsalError } from './msal-errors.ts';

/** Who the admin is, nothing more: the console needs no Azure access of its own. */
const ADMIN_SCOPES = ['openid', 'profile', 'email'];

export interface AdminSignInOptions {
  /** The partner's own tenant: the authority, and the only tenant whose accounts are accepted. */
  tenantId: string;
  clientId: string;
  redirectUri: string;
}

/**
 * The console's sign-in over MSAL: authorization code with PKCE at the partner tenant's authority (not
 * `organizations`, so only accounts that tenant admits can sign in at all). MSAL checks the ID token's
 * nonce; the tenant and audience are checked here as well, since a token from elsewhere must not pass.
 */
export function msalAdminSignIn(
  client: MsalClientFactory,
  options: AdminSignInOptions,
): Pick<IdentityPlatform, 'adminSignInUrl' | 'redeemAdminCode'> {
  return {
    async adminSignInUrl(start) {
      const cca = await client(options.tenantId, { blob: '' });
      return cca.getAuthCodeUrl({
        scopes: ADMIN_SCOPES,
        redirectUri: options.redirectUri,
        state: start.state,
        nonce: start.nonce,
        codeChallenge: start.codeChallenge,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        // Admins often have several accounts in the browser; let them pick the partner one.
        prompt: 'select_account',
      });
    },

    async redeemAdminCode(input): Promise<Outcome<AdminAccount>> {
      try {
        const cca = await client(options.tenantId, { blob: '' });
        const result = await cca.acquireTokenByCode(
          {
            code: input.code,
            scopes: ADMIN_SCOPES,
            redirectUri: options.redirectUri,
            codeVerifier: input.codeVerifier,
            state: input.state,
            nonce: input.nonce,
          },
          { code: input.code, state: input.state, nonce: input.nonce },
        );
        const account = adminAccountFrom((result.idTokenClaims ?? {}) as Record<string, unknown>);
        const audience = (result.idTokenClaims as { aud?: unknown } | undefined)?.aud;
        if (
          account.tenantId.toLowerCase() !== options.tenantId.toLowerCase() ||
          audience !== options.clientId
        ) {
          return {
            ok: false,
            failure: {
              kind: 'unknown',
              aadsts: undefined,
              errorCode: 'tenant_mismatch',
              message: `The ID token is not for this app in tenant ${options.tenantId}`,
            },
          };
        }
        return { ok: true, value: account };
      } catch (error) {
        return { ok: false, failure: classifyMsalError(error) };
      }
    },
  };
}

/** Reads the claims the console decides on; anything absent or oddly typed is simply not there. */
export function adminAccountFrom(claims: Record<string, unknown>): AdminAccount {
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : undefined);
  const emails = [text('preferred_username'), text('email'), text('upn')]
    .filter((value): value is string => Boolean(value))
    .map((value) => value.trim().toLowerCase());
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((role): role is string => typeof role === 'string')
    : [];
  return {
    tenantId: text('tid') ?? '',
    objectId: text('oid') ?? '',
    name: text('name'),
    emails: [...new Set(emails)],
    roles,
  };
}
