import { type ErrorSpec, invalidGrant, mfa, notInTenant, resource, transient, who } from './aadsts.ts';

/**
 * What can go wrong with the person rather than the request: the account, its sessions, MFA,
 * consent, policy, and Microsoft's own transient failures. These are the codes the health check
 * classifies (reference/azure-facts.md §3) and the ones the `refreshError` knob can be set to.
 */
export const ACCOUNT_ERRORS: Record<number, ErrorSpec> = {
  // The account is gone, disabled or not in the tenant.
  50057: invalidGrant(
    () =>
      'The user account is disabled. The user object in Active Directory representing this account has been disabled. An admin can re-enable this account through PowerShell.',
  ),
  50034: invalidGrant(
    (p) =>
      `The user account ${who(p)} does not exist in the ${p.tenant ?? ''} directory. To sign into this application, the account must be added to the directory.`,
  ),
  50020: invalidGrant(notInTenant),
  16000: invalidGrant(notInTenant),
  51004: invalidGrant((p) => `The user account ${who(p)} is not in the directory.`),
  50014: invalidGrant(() => 'Guest user account exists but is not fully created.'),
  // Sign-in needed again.
  50173: invalidGrant(
    (p) =>
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${p.issuedAt ?? ''}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${p.validFrom ?? ''}'.`,
  ),
  700082: invalidGrant(
    (p) =>
      `The refresh token has expired due to inactivity. The token was issued on ${p.issuedAt ?? ''} and was inactive for 90.00:00:00.`,
  ),
  70043: invalidGrant(
    (p) =>
      `The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on ${p.issuedAt ?? ''} and the maximum allowed lifetime for this request is 43200.`,
  ),
  50055: invalidGrant(() => 'The password is expired.', 'user_password_expired'),
  50132: invalidGrant(() => 'The session is not valid due to password expiration or recent password change.'),
  50133: invalidGrant(() => 'Session is invalid due to expiration or recent password change.'),
  // MFA: Microsoft answers the v2 token endpoint with invalid_grant + basic_action and a claims challenge.
  50076: { ...invalidGrant(mfa('use multi-factor authentication'), 'basic_action'), claims: true },
  50079: { ...invalidGrant(mfa('enroll in multi-factor authentication'), 'basic_action'), claims: true },
  50072: { ...invalidGrant(mfa('enroll in multi-factor authentication'), 'basic_action'), claims: true },
  50078: {
    ...invalidGrant(
      (p) =>
        `Presented multi-factor authentication has expired due to policies configured by your administrator, you must refresh your multi-factor authentication to access '${resource(p)}'.`,
      'basic_action',
    ),
    claims: true,
  },
  // Consent.
  65001: invalidGrant(
    (p) =>
      `The user or administrator has not consented to use the application with ID '${p.clientId ?? ''}' named '${p.appName ?? ''}'. Send an interactive authorization request for this user and resource.`,
    'consent_required',
  ),
  90094: invalidGrant(() => 'The grant requires admin permission.', 'consent_required'),
  90095: invalidGrant(
    () =>
      'Admin consent is required for the permissions requested by this application. An admin consent request may be sent to the admin.',
    'consent_required',
  ),
  // Blocked by policy.
  53003: {
    ...invalidGrant(
      () =>
        'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    ),
    claims: true,
  },
  530032: invalidGrant(() => 'Blocked by security policy.'),
  50131: invalidGrant(() => 'Conditional access policy blocked the request.'),
  500212: invalidGrant(
    () =>
      "The user's administrator has set an outbound access policy that doesn't allow access to the resource tenant.",
  ),
  500213: invalidGrant(
    () => "The resource tenant's cross-tenant access policy doesn't allow this user to access this tenant.",
  ),
  50053: invalidGrant(
    () =>
      'Your account is locked because you tried to sign in too many times with an incorrect user ID or password.',
  ),
  530003: invalidGrant(() => 'Your device is required to be managed to access this resource.'),
  // Transient: the client should retry later.
  50033: transient(
    503,
    'RetryableError - Indicates a transient error not related to the database operations.',
  ),
  50087: transient(
    503,
    'SasRetryableError - A transient error has occurred during strong authentication. Please try again.',
  ),
  90006: transient(
    503,
    'ExternalServerRetryableError - The service has encountered an internal error. Please try again.',
  ),
  90033: transient(
    503,
    "MsodsServiceUnavailable - The Microsoft Online Directory Service (MSODS) isn't available.",
  ),
  90090: transient(
    503,
    'GraphRetryableError - The service has encountered an internal error. Please try again.',
  ),
  90024: transient(503, 'RequestBudgetExceededError - A transient error has occurred. Try again.'),
  90055: transient(
    429,
    'TenantThrottlingError - There are too many incoming requests. This exception is thrown for blocked tenants.',
  ),
};
