import type { NodemailerError } from 'nodemailer';
import { toSingleLine } from '../platform/text.ts';
import type { SendOutcome } from './transport.ts';

type Failure = Extract<SendOutcome, { ok: false }>;

/**
 * Errors that say nothing about the message itself: the connection, TLS, DNS, the pool, our own
 * credentials. Sending the same message later may well succeed, so they are never permanent.
 */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'EPROXY',
  'EMAXLIMIT',
  'EABORT',
  'ECONFIG',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

/**
 * RFC 5321: 5yz is a permanent refusal, 4yz a transient one. 503 (bad sequence of commands) is a
 * session problem, not a verdict on the message, so like nodemailer we treat it as transient.
 */
export function isPermanentReply(responseCode: number): boolean {
  return responseCode >= 500 && responseCode < 600 && responseCode !== 503;
}

/** Classifies what nodemailer reported into a retry decision with the server's own words. */
export function classifySendError(error: unknown): Failure {
  const err = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const code = typeof err.code === 'string' ? err.code : undefined;
  // A single-recipient refusal carries the server's reply on the per-recipient error.
  const recipientError = err.rejectedErrors?.[0];
  const responseCode = err.responseCode ?? recipientError?.responseCode;
  const reason = describe(recipientError?.response ?? err.response ?? err.message ?? String(error));
  const failure = (permanent: boolean): Failure => ({
    ok: false,
    permanent,
    reason,
    ...(code ? { code } : {}),
  });
  // A 535 on AUTH is our configuration, not this message: never fail the message for good over it.
  if (code && CONNECTION_CODES.has(code)) return failure(false);
  if (typeof responseCode === 'number') return failure(isPermanentReply(responseCode));
  // Refused before anything was sent (a malformed envelope): sending it again changes nothing.
  if (code === 'EENVELOPE') return failure(true);
  return failure(false);
}

/** One line, bounded: server replies end up in the outbox row and the admin console. */
function describe(text: string): string {
  const line = toSingleLine(text);
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}
