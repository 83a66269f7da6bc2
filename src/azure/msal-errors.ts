import { aadstsFromText, classifyAadsts, type TokenFailureKind } from './aadsts.ts';
import type { TokenFailure } from './identity-platform.ts';

/** Fields MSAL errors carry; read by name because two MSAL copies (ours, @azure/identity's) coexist. */
interface MsalLikeError {
  errorCode?: unknown;
  subError?: unknown;
  errorNo?: unknown;
  errorMessage?: unknown;
  message?: unknown;
}

const NETWORK_CODES = new Set([
  'network_error',
  'endpoints_resolution_error',
  'request_timeout',
  'post_request_failed',
  'get_request_failed',
]);

/**
 * Turns an MSAL error into a failure value. The AADSTS number decides; MSAL's own codes cover what the
 * platform did not number (no refresh token in the cache, network trouble, consent sub-errors).
 */
export function classifyMsalError(error: unknown): TokenFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as MsalLikeError;
  const errorCode = typeof e.errorCode === 'string' ? e.errorCode : 'unknown_error';
  const subError = typeof e.subError === 'string' ? e.subError : '';
  const message = String(e.errorMessage || e.message || error);
  const numbered = Number(e.errorNo);
  const aadsts = Number.isFinite(numbered) && numbered > 0 ? numbered : aadstsFromText(message);
  let kind: TokenFailureKind = classifyAadsts(aadsts);
  if (kind === 'unknown') {
    if (subError === 'consent_required' || errorCode === 'consent_required') kind = 'consent_required';
    else if (NETWORK_CODES.has(errorCode)) kind = 'transient';
    else if (
      [
        'interaction_required',
        'login_required',
        'no_tokens_found',
        'refresh_token_expired',
        'bad_token',
      ].includes(errorCode) ||
      subError === 'bad_token'
    ) {
      kind = 'interaction_required';
    } else if (errorCode === 'temporarily_unavailable' || errorCode === 'server_error') kind = 'transient';
  }
  return { kind, aadsts, errorCode, message: scrub(message) };
}

/** MSAL messages can quote request parameters; keep the useful first sentence, drop anything token-like. */
function scrub(message: string): string {
  return message
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]')
    .replace(/(code|refresh_token|client_secret|assertion)=[^&\s]+/gi, '$1=[redacted]')
    .slice(0, 500);
}
