import type { Response } from 'express';

/**
 * Response writing for the simulated Resource Manager. Bodies are serialised here, not by
 * `res.json`, so their bytes (key order, no spaces) are exactly what the recordings show.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

/** Resource Manager's own error shape (authentication, throttling, Microsoft.Authorization). */
export function armErrorBody(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The ManagementPartner provider's error shape: `code`/`message` under `error` and again at the
 * top level (fixtures/managementpartner-put-400-invalid.json).
 */
export function partnerErrorBody(code: string, message: string) {
  return { error: { code, message }, code, message };
}

export function sendArmError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, armErrorBody(code, message));
}

export function sendPartnerError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, partnerErrorBody(code, message));
}

/** The messages the live services send, kept in one place so tests can name them. */
export const MESSAGES = {
  partnerNotFound: 'This user or service principal is not linked with a Partner ID',
  partnerIdInvalid: 'The Partner ID is not valid',
  missingApiVersion: 'The api-version query parameter (?api-version=) is required for all requests.',
} as const;
