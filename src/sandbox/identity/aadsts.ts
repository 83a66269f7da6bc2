/**
 * AADSTS errors as the Microsoft identity platform reports them. The service under test reacts on
 * the numeric code, the OAuth `error` and the `suberror` (MSAL turns `suberror`s such as
 * `consent_required` or `basic_action` into an InteractionRequiredAuthError), so those three are
 * what this table gets right; the wording follows Microsoft's closely enough to be recognisable.
 */
export interface AadErrorParams {
  upn?: string;
  clientId?: string;
  appName?: string;
  tenant?: string;
  tenantName?: string;
  homeTenantId?: string;
  resource?: string;
  parameter?: string;
  scope?: string;
  redirectUri?: string;
  expectedRedirectUri?: string;
  grantType?: string;
  responseType?: string;
  issuedAt?: string;
  validFrom?: string;
}

export interface ErrorSpec {
  status: number;
  error: string;
  suberror?: string;
  /** MFA and Conditional Access answers carry a claims challenge for the interactive retry. */
  claims?: boolean;
  message(p: AadErrorParams): string;
}

export const app = (p: AadErrorParams) =>
  `'${p.clientId ?? 'the application'}'(${p.appName ?? 'application'})`;
export const who = (p: AadErrorParams) => p.upn ?? '{EmailHidden}';
export const resource = (p: AadErrorParams) => p.resource ?? '797f4846-ba00-4fd7-ba43-dac1f8f63013';
export const notInTenant = (p: AadErrorParams) =>
  `User account '${who(p)}' from identity provider 'https://sts.windows.net/${p.homeTenantId ?? '{home}'}/' does not exist in tenant '${p.tenantName ?? p.tenant ?? 'the directory'}' and cannot access the application ${app(p)} in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`;
export const mfa = (verb: string) => (p: AadErrorParams) =>
  `Due to a configuration change made by your administrator, or because you moved to a new location, you must ${verb} to access '${resource(p)}'.`;
export const invalidGrant = (message: ErrorSpec['message'], suberror?: string): ErrorSpec => ({
  status: 400,
  error: 'invalid_grant',
  message,
  ...(suberror ? { suberror } : {}),
});
export const transient = (status: number, message: string): ErrorSpec => ({
  status,
  error: 'temporarily_unavailable',
  message: () => message,
});

/** Malformed requests, client authentication and authorization codes. */
export const REQUEST_ERRORS: Record<number, ErrorSpec> = {
  // Requests the sandbox cannot make sense of.
  900144: {
    status: 400,
    error: 'invalid_request',
    message: (p) => `The request body must contain the following parameter: '${p.parameter ?? 'unknown'}'.`,
  },
  9002313: {
    status: 400,
    error: 'invalid_request',
    message: () => 'Invalid request. Request is malformed or invalid.',
  },
  50000: {
    status: 500,
    error: 'server_error',
    message: () => 'There was an error issuing a token or an issue with our sign-in service.',
  },
  90002: {
    status: 400,
    error: 'invalid_tenant',
    message: (p) =>
      `Tenant '${p.tenant ?? ''}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  },
  900023: {
    status: 400,
    error: 'invalid_request',
    message: (p) =>
      `Specified tenant identifier '${p.tenant ?? ''}' is neither a valid DNS name, nor a valid external domain.`,
  },
  1002012: {
    status: 400,
    error: 'invalid_scope',
    message: (p) =>
      `The provided value for scope ${p.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  },
  70003: {
    status: 400,
    error: 'unsupported_grant_type',
    message: (p) => `The app requested an unsupported grant type '${p.grantType ?? ''}'.`,
  },
  70011: {
    status: 400,
    error: 'invalid_scope',
    message: (p) =>
      `The provided value for the input parameter 'scope' is not valid. The scope '${p.scope ?? ''}' does not exist.`,
  },
  700054: {
    status: 400,
    error: 'unsupported_response_type',
    message: (p) => `response_type '${p.responseType ?? ''}' is not enabled for the application.`,
  },
  50011: {
    status: 400,
    error: 'invalid_request',
    message: (p) =>
      `The redirect URI '${p.redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application ${app(p)}. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
  },
  50149: {
    status: 400,
    error: 'invalid_request',
    message: () => 'Invalid Code_Challenge_method parameter. The sandbox requires PKCE with S256.',
  },
  501491: {
    status: 400,
    error: 'invalid_request',
    message: () => 'InvalidCodeChallengeMethodInvalidSize - Invalid size of Code_Challenge parameter.',
  },
  50058: {
    status: 400,
    error: 'login_required',
    message: () => 'A silent sign-in request was sent but no user is signed in.',
  },
  65004: {
    status: 400,
    error: 'access_denied',
    message: () => 'User declined to consent to access the app.',
  },
  // Client authentication: our own app registration is misconfigured.
  700016: {
    status: 400,
    error: 'unauthorized_client',
    message: (p) =>
      `Application with identifier '${p.clientId ?? ''}' was not found in the directory '${p.tenantName ?? p.tenant ?? ''}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  },
  7000215: {
    status: 401,
    error: 'invalid_client',
    message: (p) =>
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${p.clientId ?? ''}'.`,
  },
  7000218: {
    status: 401,
    error: 'invalid_client',
    message: () =>
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  7000222: {
    status: 401,
    error: 'invalid_client',
    message: (p) => `The provided client secret keys for app '${p.clientId ?? ''}' are expired.`,
  },
  700027: {
    status: 401,
    error: 'invalid_client',
    message: () => 'Client assertion failed signature validation. The sandbox accepts client secrets only.',
  },
  // Authorization codes.
  54005: invalidGrant(
    () =>
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  ),
  501481: invalidGrant(
    () => 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
  ),
  500112: invalidGrant(
    (p) =>
      `The reply address '${p.redirectUri ?? ''}' does not match the reply address '${p.expectedRedirectUri ?? ''}' provided when requesting Authorization code.`,
  ),
  70000: invalidGrant(
    (p) => `The provided value for the input parameter '${p.parameter ?? 'code'}' is not valid.`,
  ),
  70008: invalidGrant(
    () =>
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  ),
};
