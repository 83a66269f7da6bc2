import type { TokenFailureKind } from './aadsts.ts';
import type { BearerToken } from './resource-manager.ts';

/**
 * The port to the Microsoft identity platform for consultants' delegated tokens. Failures are values
 * classified by AADSTS code; the serialized MSAL cache (refresh token inside) goes in and comes out so
 * the caller can keep it encrypted in its own store.
 */
export const ARM_DELEGATED_SCOPE = 'https://management.azure.com/user_impersonation';

export interface TokenFailure {
  kind: TokenFailureKind;
  /** The AADSTS number, when the platform gave one. */
  aadsts: number | undefined;
  /** MSAL's error code, e.g. `invalid_grant`, `consent_required`. */
  errorCode: string;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: TokenFailure };

export interface SignInStart {
  /** `organizations`, or a customer tenant ID when the invitation names one. */
  authority: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  loginHint: string | undefined;
}

export interface SignedInAccount {
  /** MSAL's `uid.utid`: the account across all tenants. */
  homeAccountId: string;
  /** Tenant and object ID of the token that signed in (the home tenant under `organizations`). */
  tenantId: string;
  objectId: string;
  username: string;
  name: string | undefined;
  /** Addresses the ID token vouches for: preferred_username, email, upn (lower-cased). */
  emails: string[];
}

export interface TenantToken {
  token: BearerToken;
  tenantId: string;
  objectId: string;
}

/** The console's sign-in: always at the partner's own tenant, OpenID scopes only (no Azure access). */
export interface AdminSignInStart {
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** Who signed in to the console, as the ID token says. */
export interface AdminAccount {
  tenantId: string;
  objectId: string;
  name: string | undefined;
  /** preferred_username, email and upn, lower-cased: what `ADMIN_EMAILS` is matched against. */
  emails: string[];
  /** App roles assigned to the account in the partner's tenant (`roles` claim), e.g. `PAL.Admin`. */
  roles: string[];
}

export interface IdentityPlatform {
  authorizeUrl(start: SignInStart): Promise<string>;
  /** Where to send an admin's browser to sign in to the console. */
  adminSignInUrl(start: AdminSignInStart): Promise<string>;
  /** Redeems the console callback's code; the account must come from the partner's tenant. */
  redeemAdminCode(input: {
    code: string;
    codeVerifier: string;
    nonce: string;
    state: string;
  }): Promise<Outcome<AdminAccount>>;
  redeemCode(input: {
    code: string;
    codeVerifier: string;
    nonce: string;
    state: string;
    authority: string;
  }): Promise<{ outcome: Outcome<SignedInAccount>; cache: string }>;
  /**
   * A Resource Manager token for the account in `tenantId`, silently from the refresh token. The
   * result is checked to really be for that tenant: a token for another tenant would link the wrong
   * identity.
   */
  tokenForTenant(input: {
    cache: string;
    homeAccountId: string;
    tenantId: string;
    forceRefresh: boolean;
  }): Promise<{ outcome: Outcome<TenantToken>; cache: string }>;
}
