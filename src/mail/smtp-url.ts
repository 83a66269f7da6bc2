import type { SMTPPoolOptions } from 'nodemailer';

export interface SmtpSettings {
  options: SMTPPoolOptions & { pool: true };
  /** Safe to log: no user name, no password. */
  description: string;
}

/**
 * The options `SMTP_URL` may carry in its query string. Anything else is refused at start-up, so a
 * typo does not silently fall back to a default.
 *
 * - `pool`        connections kept open at most (1–50, default 5)
 * - `maxMessages` messages per connection before it is replaced (1–10000, default 100)
 * - `rate`        messages per second across the pool (1–10000, default unlimited)
 * - `requireTLS`  `true` refuses to send over smtp:// unless the server offers STARTTLS (default false)
 * - `timeout`     seconds a server may stay silent mid-conversation before the message is given up
 *                 for now and retried later (1–90, default 60); connecting and the greeting get at
 *                 most 20 s of it. Kept under the outbox's 2-minute claim: a sender still waiting
 *                 when its claim ran out could see another instance send the same message again.
 */
const SUPPORTED = ['pool', 'maxMessages', 'rate', 'requireTLS', 'timeout'] as const;

const DEFAULTS = { maxConnections: 5, maxMessages: 100, timeoutSeconds: 60 };

export class SmtpUrlError extends Error {
  override readonly name = 'SmtpUrlError';
}

/** Reads `smtp://user:pass@host:port?pool=8&rate=50` (or `smtps://`) into pooled transport options. */
export function parseSmtpUrl(raw: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The message must not echo the URL: it holds the password.
    throw new SmtpUrlError('SMTP_URL: not a valid URL (smtp://user:password@host:port)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new SmtpUrlError('SMTP_URL: must start with smtp:// or smtps://');
  }
  if (!url.hostname) throw new SmtpUrlError('SMTP_URL: names no host');
  const secure = url.protocol === 'smtps:';
  const query = url.searchParams;
  for (const key of query.keys()) {
    if (!(SUPPORTED as readonly string[]).includes(key)) {
      throw new SmtpUrlError(
        `SMTP_URL: unknown option ${JSON.stringify(key)} (supported: ${SUPPORTED.join(', ')})`,
      );
    }
  }
  const maxConnections = integer(query, 'pool', 1, 50) ?? DEFAULTS.maxConnections;
  const maxMessages = integer(query, 'maxMessages', 1, 10_000) ?? DEFAULTS.maxMessages;
  const rate = integer(query, 'rate', 1, 10_000);
  const requireTLS = boolean(query, 'requireTLS') ?? false;
  const timeoutMs = (integer(query, 'timeout', 1, 90) ?? DEFAULTS.timeoutSeconds) * 1000;
  const user = decoded(url.username);
  const pass = decoded(url.password);
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    options: {
      pool: true,
      host,
      port,
      secure,
      requireTLS,
      ...(user || pass ? { auth: { user, pass } } : {}),
      maxConnections,
      maxMessages,
      ...(rate ? { rateLimit: rate, rateDelta: 1000 } : {}),
      // Fail a dead server in seconds, not nodemailer's minutes: the outbox retries later anyway.
      connectionTimeout: Math.min(20_000, timeoutMs),
      greetingTimeout: Math.min(20_000, timeoutMs),
      socketTimeout: timeoutMs,
      // A connection dropped while a message was queued on it gets one more try on a fresh one; the
      // outbox owns real retries (with backoff), so the pool must not resend the same message for long.
      maxRequeues: 1,
      logger: false,
    },
    description: [
      `${url.protocol}//${url.host}`,
      user || pass ? ' (authenticated' : ' (anonymous',
      `, ${maxConnections} connection${maxConnections === 1 ? '' : 's'}`,
      `, ${maxMessages} messages each`,
      rate ? `, at most ${rate}/s` : ', no rate limit',
      requireTLS ? ', STARTTLS required' : '',
      ')',
    ].join(''),
  };
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SmtpUrlError('SMTP_URL: the user name or password has a broken %-escape');
  }
}

function integer(query: URLSearchParams, key: string, min: number, max: number): number | undefined {
  const value = query.get(key);
  if (value === null) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new SmtpUrlError(`SMTP_URL: ${key} must be a whole number from ${min} to ${max}`);
  }
  return parsed;
}

function boolean(query: URLSearchParams, key: string): boolean | undefined {
  const value = query.get(key);
  if (value === null) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new SmtpUrlError(`SMTP_URL: ${key} must be true or false`);
}
