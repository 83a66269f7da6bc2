import type { AuthenticationResult } from '@azure/msal-node';
import type { Logger } from '../platform/logger.ts';
import type { AppCredential } from './app-credential.ts';
import { guestHomeAddress } from './guest-address.ts';
import {
  ARM_DELEGATED_SCOPE,
  type IdentityPlatform,
  type Outcome,
  type SignedInAccount,
  type TenantToken,
  type TokenFailure,
} from './identity-platform.ts';
import { msalAdminSignIn } from './msal-admin-sign-in.ts';
import { createMsalClientFactory } from './msal-client.ts';
import { classifyMsalError } from './msal-errors.ts';

export interface MsalOptions {
  authorityHost: string;
  clientId: string;
  credential: AppCredential;
  redirectUri: string;
  /** The console's sign-in: the partner's tenant and the console's own callback. */
  admin: { tenantId: string; redirectUri: string };
  logger: Logger;
}

const SIGN_IN_SCOPES = [ARM_DELEGATED_SCOPE, 'offline_access', 'openid', 'profile'];

/** The identity-platform port over MSAL Node (one short-lived client per operation, see msal-client.ts). */
export function createMsalIdentityPlatform(options: MsalOptions): IdentityPlatform {
  const { host, client } = createMsalClientFactory(options);

  const failed = (error: unknown): { ok: false; failure: TokenFailure } => ({
    ok: false,
    failure: classifyMsalError(error),
  });

  return {
    ...msalAdminSignIn(client, {
      tenantId: options.admin.tenantId,
      clientId: options.clientId,
      redirectUri: options.admin.redirectUri,
    }),

    async authorizeUrl(start) {
      const cca = await client(start.authority, { blob: '' });
      return cca.getAuthCodeUrl({
        scopes: SIGN_IN_SCOPES,
        redirectUri: options.redirectUri,
        state: start.state,
        nonce: start.nonce,
        codeChallenge: start.codeChallenge,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        // No prompt=select_account: Microsoft refuses it together with login_hint, and the hint is what
        // steers the consultant to the invited account.
        ...(start.loginHint ? { loginHint: start.loginHint } : {}),
      });
    },

    async redeemCode(input) {
      const cache = { blob: '' };
      let outcome: Outcome<SignedInAccount>;
      try {
        const cca = await client(input.authority, cache);
        const result = await cca.acquireTokenByCode(
          {
            code: input.code,
            scopes: SIGN_IN_SCOPES,
            redirectUri: options.redirectUri,
            codeVerifier: input.codeVerifier,
            state: input.state,
            nonce: input.nonce,
          },
          { code: input.code, state: input.state, nonce: input.nonce },
        );
        outcome = { ok: true, value: signedInFrom(result) };
      } catch (error) {
        outcome = failed(error);
      }
      return { outcome, cache: cache.blob };
    },

    async tokenForTenant(input) {
      const cache = { blob: input.cache };
      let outcome: Outcome<TenantToken>;
      try {
        const cca = await client(input.tenantId, cache);
        const account = await cca.getTokenCache().getAccountByHomeId(input.homeAccountId);
        if (!account) {
          outcome = {
            ok: false,
            failure: {
              kind: 'interaction_required',
              aadsts: undefined,
              errorCode: 'no_account_in_cache',
              message: 'No signed-in account is cached for this consultant',
            },
          };
        } else {
          // Pass the account as seen from the target tenant: MSAL looks cached tokens up by the
          // account's tenantId, and the home-tenant token would otherwise come back.
          const result = await cca.acquireTokenSilent({
            account: { ...account, tenantId: input.tenantId },
            scopes: [ARM_DELEGATED_SCOPE],
            authority: `${host}/${input.tenantId}`,
            forceRefresh: input.forceRefresh,
          });
          const claims = accessTokenClaims(result.accessToken);
          if (claims.tid?.toLowerCase() !== input.tenantId.toLowerCase() || !claims.oid) {
            outcome = {
              ok: false,
              failure: {
                kind: 'unknown',
                aadsts: undefined,
                errorCode: 'tenant_mismatch',
                message: `Expected a token for tenant ${input.tenantId}, got one for ${claims.tid ?? 'no tenant'}`,
              },
            };
          } else {
            outcome = {
              ok: true,
              value: {
                token: {
                  token: result.accessToken,
                  expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + 300_000,
                },
                tenantId: claims.tid,
                objectId: claims.oid,
              },
            };
          }
        }
      } catch (error) {
        outcome = failed(error);
      }
      return { outcome, cache: cache.blob };
    },
  };
}

function signedInFrom(result: AuthenticationResult): SignedInAccount {
  const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : undefined);
  const emails = [text('preferred_username'), text('email'), text('upn'), text('unique_name')]
    .filter((value): value is string => Boolean(value))
    .flatMap((value) =>
      [value.toLowerCase(), guestHomeAddress(value)].filter((v): v is string => Boolean(v)),
    );
  return {
    homeAccountId: result.account?.homeAccountId ?? '',
    tenantId: text('tid') ?? result.tenantId,
    objectId: text('oid') ?? result.uniqueId,
    username: result.account?.username ?? text('preferred_username') ?? '',
    name: text('name'),
    emails: [...new Set(emails)],
  };
}

/** Reads `tid`/`oid` from a JWT access token without verifying it (the issuer did; we only route). */
function accessTokenClaims(token: string): { tid?: string; oid?: string } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return { tid: payload.tid, oid: payload.oid };
  } catch {
    return {};
  }
}
