import { setTimeout as delay } from 'node:timers/promises';

export interface WebhookDeliveryOptions {
  /** Per attempt; a chat service that has not answered in 10 s is not going to. */
  timeoutMs?: number;
  attempts?: number;
  /** First backoff; doubles per attempt when the server gives no Retry-After. */
  baseDelayMs?: number;
  /** Longest wait honoured (Retry-After included): the hook must finish within a run's time. */
  maxDelayMs?: number;
  /** Injected by tests to observe the waits without spending them. */
  sleep?: (ms: number) => Promise<void>;
}

export type WebhookOutcome =
  | { ok: true; status: number; attempts: number }
  | { ok: false; attempts: number; status?: number; reason: string };

type Attempt =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; status?: number; reason: string; waitMs?: number };

/** The only part of the URL that may be logged or audited: the path and query carry its secret. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * POSTs one JSON body with retries: 429, 5xx, timeouts and network errors are retried (3 attempts,
 * Retry-After honoured up to `maxDelayMs`, otherwise 1 s, 2 s …); any other answer is final. Never
 * throws. Redirects are not followed: a webhook that redirects is misconfigured, and following it
 * would hand the message to a host nobody configured.
 */
export async function postWebhook(
  url: string,
  payload: unknown,
  options: WebhookDeliveryOptions = {},
): Promise<WebhookOutcome> {
  const attempts = options.attempts ?? 3;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const body = JSON.stringify(payload);
  let last: Extract<Attempt, { ok: false }> = { ok: false, retry: false, reason: 'not attempted' };
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const result = await attemptOnce(url, body, options.timeoutMs ?? 10_000);
    if (result.ok) return { ok: true, status: result.status, attempts: attempt };
    last = result;
    if (!result.retry || attempt === attempts) return failure(result, attempt);
    const backoff = (options.baseDelayMs ?? 1_000) * 2 ** (attempt - 1);
    await sleep(Math.min(result.waitMs ?? backoff, maxDelayMs));
  }
  return failure(last, attempts);
}

function failure(result: Extract<Attempt, { ok: false }>, attempts: number): WebhookOutcome {
  return {
    ok: false,
    attempts,
    reason: result.reason,
    ...(result.status === undefined ? {} : { status: result.status }),
  };
}

async function attemptOnce(url: string, body: string, timeoutMs: number): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, retry: true, reason: networkReason(error, url) };
  }
  // Read the answer in full either way: it frees the connection, and Slack says what was wrong in it.
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  const retry = response.status === 429 || response.status >= 500;
  const waitMs = retry ? retryAfterMs(response.headers.get('retry-after')) : undefined;
  return {
    ok: false,
    retry,
    status: response.status,
    reason: `HTTP ${response.status}${text.trim() ? `: ${oneLine(text, url)}` : ''}`,
    ...(waitMs === undefined ? {} : { waitMs }),
  };
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse reads "-3" as a year: only a date with a weekday or month name counts as one.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A short reason for logs and the audit log, with the URL (its secret) cut out should it appear. */
function oneLine(text: string, url: string): string {
  const clean = text.split(url).join(webhookHost(url)).replace(/\s+/g, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

function networkReason(error: unknown, url: string): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : 'error';
  return oneLine(`network error: ${detail}`, url);
}
