import { aadstsFromText, classifyAadsts, type TokenFailureKind } from '../azure/aadsts.ts';

/**
 * Why an automation identity could not get a token. Unlike a consultant's sign-in, the credential
 * here is the identity's own: an expired or wrong secret is not "our app is misconfigured" but "this
 * identity can no longer act until an admin renews its credential".
 */
export type AutomationFailureKind =
  /** AADSTS7000222: every secret that matched has expired. */
  | 'secret_expired'
  /** AADSTS7000215 / 7000218: no secret of the app matches (often the secret's ID instead of its value). */
  | 'secret_invalid'
  /** AADSTS700016: no such app (service principal) in the tenant: deleted, or the wrong tenant. */
  | 'app_not_in_tenant'
  /** AADSTS7000112: the app or its service principal is disabled. */
  | 'app_disabled'
  /** The certificate file is missing, unreadable or incomplete. */
  | 'certificate_unreadable'
  /** AADSTS700027 and friends: the tenant refused the certificate's signature. */
  | 'certificate_refused'
  /** The environment variable that should hold the secret is not set, or the sealed secret does not open. */
  | 'secret_missing'
  /** `DefaultAzureCredential` found no usable source (no managed identity here, no environment credential). */
  | 'credential_unavailable'
  /** A Conditional Access policy for workload identities blocks the sign-in. */
  | 'blocked_by_policy'
  | 'transient'
  | 'unknown';

export interface AutomationTokenFailure {
  kind: AutomationFailureKind;
  aadsts: number | undefined;
  /** `AADSTS7000222`, or our own code when no AADSTS number came with it. */
  errorCode: string;
  /** Words for an admin: what is wrong and what to do. Never the secret, never a token. */
  message: string;
}

/**
 * How the health verdict reads a failure (decideVerdict's token step): a credential an admin must
 * renew is `reauth_required`, an identity gone from the tenant is `account_revoked`, and only what a
 * later attempt may fix by itself is `check_failed`.
 */
export function verdictKind(kind: AutomationFailureKind): TokenFailureKind {
  switch (kind) {
    case 'app_not_in_tenant':
    case 'app_disabled':
      return 'account_gone';
    case 'secret_expired':
    case 'secret_invalid':
    case 'certificate_unreadable':
    case 'certificate_refused':
    case 'secret_missing':
    case 'credential_unavailable':
      return 'interaction_required';
    case 'blocked_by_policy':
      return 'blocked_by_policy';
    case 'transient':
      return 'transient';
    default:
      return 'unknown';
  }
}

const BY_CODE: Record<number, AutomationFailureKind> = {
  7000222: 'secret_expired',
  7000215: 'secret_invalid',
  7000218: 'secret_invalid',
  700016: 'app_not_in_tenant',
  7000112: 'app_disabled',
  700027: 'certificate_refused',
  700024: 'certificate_refused',
  700021: 'certificate_refused',
  700023: 'certificate_refused',
};

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  errorNo?: unknown;
  errorResponse?: { errorCodes?: unknown; errorDescription?: unknown; error?: unknown };
  cause?: unknown;
  errors?: unknown;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Classifies whatever `@azure/identity` threw. The AADSTS number decides (from the structured
 * `errorCodes`, MSAL's `errorNo`, or the description text, in that order); without one, the error's
 * class and network codes do. The chain of causes (and an aggregate's errors) is searched.
 */
export function classifyIdentityError(
  error: unknown,
  context: { clientId: string; tenantId: string },
): AutomationTokenFailure {
  const chain = flatten(error);
  let aadsts: number | undefined;
  for (const e of chain) {
    const codes = e.errorResponse?.errorCodes;
    const fromList = Array.isArray(codes) ? Number(codes[0]) : Number.NaN;
    const fromNo = Number(e.errorNo);
    aadsts =
      (Number.isFinite(fromList) && fromList > 0 ? fromList : undefined) ??
      (Number.isFinite(fromNo) && fromNo > 0 ? fromNo : undefined) ??
      aadstsFromText(String(e.errorResponse?.errorDescription ?? '')) ??
      aadstsFromText(String(e.message ?? ''));
    if (aadsts) break;
  }
  let kind: AutomationFailureKind = 'unknown';
  if (aadsts) {
    kind = BY_CODE[aadsts] ?? fromGeneral(classifyAadsts(aadsts));
  } else if (chain.some((e) => NETWORK.has(String(e.code)))) {
    kind = 'transient';
  } else if (chain.some((e) => Number(e.statusCode) >= 500 || Number(e.statusCode) === 429)) {
    kind = 'transient';
  } else if (
    chain.some((e) => e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError')
  ) {
    kind = 'credential_unavailable';
  }
  const first = chain[0];
  return {
    kind,
    aadsts,
    errorCode: aadsts ? `AADSTS${aadsts}` : kind,
    message: describe(kind, context, scrub(String(first?.message ?? error))),
  };
}

function fromGeneral(kind: TokenFailureKind): AutomationFailureKind {
  if (kind === 'transient') return 'transient';
  if (kind === 'blocked_by_policy') return 'blocked_by_policy';
  if (kind === 'account_gone') return 'app_not_in_tenant';
  return 'unknown';
}

function flatten(error: unknown, depth = 0): ErrorLike[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const e = error as ErrorLike;
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((inner) => flatten(inner, depth + 1)) : [];
  return [e, ...flatten(e.cause, depth + 1), ...nested];
}

export function describe(
  kind: AutomationFailureKind,
  who: { clientId: string; tenantId: string },
  detail: string,
): string {
  switch (kind) {
    case 'secret_expired':
      return `The client secret of app ${who.clientId} has expired (AADSTS7000222). Create a new secret for the app registration and give it to PAL Manager (link-sp again, or replace the credential).`;
    case 'secret_invalid':
      return `The client secret of app ${who.clientId} is not valid (AADSTS7000215): it was removed or replaced, or it is the secret's ID rather than its value. Give PAL Manager the current secret value.`;
    case 'app_not_in_tenant':
      return `No app with client ID ${who.clientId} exists in tenant ${who.tenantId} (AADSTS700016): the service principal was deleted, or the tenant is the wrong one.`;
    case 'app_disabled':
      return `The app ${who.clientId} is disabled in tenant ${who.tenantId}: it can no longer sign in.`;
    case 'certificate_refused':
      return `Tenant ${who.tenantId} refused the certificate for app ${who.clientId}: it is not (or no longer) uploaded to the app registration, or it has expired.`;
    case 'certificate_unreadable':
    case 'secret_missing':
    case 'credential_unavailable':
      return detail;
    case 'blocked_by_policy':
      return `A Conditional Access policy for workload identities blocks app ${who.clientId} in tenant ${who.tenantId}.`;
    case 'transient':
      return `The identity platform could not be reached or answered with a temporary error; the next run tries again. (${detail})`;
    default:
      return `Getting a token for app ${who.clientId} failed: ${detail}`;
  }
}

/** Identity errors can quote request parameters: keep them out of evidence and logs. */
function scrub(message: string): string {
  return message
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')
    .replace(/(client_secret|client_assertion|assertion|secret)=[^&\s]+/gi, '$1=[redacted]')
    .replace(/\s*Trace ID:[\s\S]*$/, '')
    .slice(0, 400);
}
