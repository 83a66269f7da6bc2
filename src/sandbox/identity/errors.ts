import { randomUUID } from 'node:crypto';
import { type AadErrorParams, type ErrorSpec, invalidGrant, REQUEST_ERRORS } from './aadsts.ts';
import { ACCOUNT_ERRORS } from './aadsts-account.ts';

export type { AadErrorParams };

const SPECS: Record<number, ErrorSpec> = { ...REQUEST_ERRORS, ...ACCOUNT_ERRORS };

export interface AadError {
  code: number;
  status: number;
  error: string;
  suberror?: string;
  claims?: string;
  /** The message without the "AADSTS…:" prefix and the trace trailer. */
  message: string;
}

/** The error for an AADSTS code; an unknown code (a knob set to anything) still yields a plausible invalid_grant. */
export function aadError(code: number, params: AadErrorParams = {}): AadError {
  const spec =
    SPECS[code] ?? invalidGrant(() => `The sandbox was told to fail this request with AADSTS${code}.`);
  return {
    code,
    status: spec.status,
    error: spec.error,
    message: spec.message(params),
    ...(spec.suberror ? { suberror: spec.suberror } : {}),
    ...(spec.claims
      ? {
          claims: JSON.stringify({ access_token: { capolids: { essential: true, values: [randomUUID()] } } }),
        }
      : {}),
  };
}

export function isKnownAadCode(code: number): boolean {
  return code in SPECS;
}

/** Microsoft's timestamp format in error bodies: `2026-11-20 22:10:00Z`. */
export function aadTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export interface ErrorMeta {
  now: Date;
  baseUrl: string;
  /** The client's `client-request-id`, which Microsoft echoes as the correlation ID. */
  correlationId: string;
  traceId: string;
}

/** `AADSTS50057: The user account is disabled. … Trace ID: … Correlation ID: … Timestamp: …` */
export function aadDescription(err: AadError, meta: ErrorMeta): string {
  return `AADSTS${err.code}: ${err.message} Trace ID: ${meta.traceId} Correlation ID: ${meta.correlationId} Timestamp: ${aadTimestamp(meta.now)}`;
}

/** The JSON body of a token-endpoint (or discovery) error, key for key as Microsoft sends it. */
export function aadErrorBody(err: AadError, meta: ErrorMeta): Record<string, unknown> {
  return {
    error: err.error,
    error_description: aadDescription(err, meta),
    error_codes: [err.code],
    timestamp: aadTimestamp(meta.now),
    trace_id: meta.traceId,
    correlation_id: meta.correlationId,
    error_uri: `${meta.baseUrl}/error?code=${err.code}`,
    ...(err.suberror ? { suberror: err.suberror } : {}),
    ...(err.claims ? { claims: err.claims } : {}),
  };
}
