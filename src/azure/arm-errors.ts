import { isRestError } from '@azure/core-rest-pipeline';
import type { ArmFailure } from './resource-manager.ts';

/** Reported by partners who sign in through a CSP relationship; the status code is not recorded. */
const CSP_SESSION = /CSP partner|not have an account in this tenant/i;

/**
 * Turns whatever an SDK call threw into a failure value. `isRestError`, not `instanceof`: the SDKs
 * ship in CommonJS and ESM flavours and a RestError from one is not an instance of the other's class.
 */
export function classifyArmError(error: unknown): ArmFailure {
  if (!isRestError(error)) {
    return {
      kind: 'network',
      status: undefined,
      code: undefined,
      message: messageOf(error),
      retryAfterSeconds: undefined,
    };
  }
  const status = error.statusCode;
  const code = error.code;
  const message = error.message;
  const retryAfter = Number(error.response?.headers.get('retry-after'));
  const base = {
    status,
    code,
    message,
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
  };
  if (CSP_SESSION.test(message)) return { kind: 'csp_session', ...base };
  if (status === undefined) return { kind: 'network', ...base };
  if (code === 'PartnerIdInvalid') return { kind: 'invalid_partner_id', ...base };
  if (status === 404) return { kind: 'not_found', ...base };
  if (status === 401) return { kind: 'unauthorized', ...base };
  if (status === 403) return { kind: 'forbidden', ...base };
  if (status === 429) return { kind: 'throttled', ...base };
  if (status === 408 || status >= 500) return { kind: 'unavailable', ...base };
  return { kind: 'unexpected', ...base };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
