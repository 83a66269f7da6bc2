import type { Response } from 'express';
import type { SandboxKnobs } from '../world/model.ts';
import { sendArmError } from './errors.ts';

export type Fault =
  | { kind: 'none' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'server-error'; status: 500 | 503; retryAfterSeconds: number }
  | { kind: 'reset' }
  | { kind: 'hang'; ms: number };

/** Faults that never reach an HTTP answer: the pipeline acts on the connection itself. */
export type ConnectionFault = Extract<Fault, { kind: 'reset' | 'hang' }>;

/**
 * Rolls the fault dice for one call. A die is thrown only for a knob that is on, so a run with
 * the same knobs and seed meets the same faults in the same places.
 */
export function rollFault(knobs: SandboxKnobs, random: () => number): Fault {
  const retryAfterSeconds = knobs.retryAfterSeconds;
  if (knobs.throttleRate > 0 && random() < knobs.throttleRate)
    return { kind: 'throttled', retryAfterSeconds };
  if (knobs.serverErrorRate > 0 && random() < knobs.serverErrorRate) {
    const status = knobs.serverErrorStatus ?? (random() < 0.5 ? 503 : 500);
    return { kind: 'server-error', status, retryAfterSeconds };
  }
  const resetRate = knobs.resetRate ?? 0;
  if (resetRate > 0 && random() < resetRate) return { kind: 'reset' };
  const timeoutRate = knobs.timeoutRate ?? 0;
  if (timeoutRate > 0 && random() < timeoutRate) return { kind: 'hang', ms: knobs.hangMs ?? 120_000 };
  return { kind: 'none' };
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * Answers a call with its fault the way ARM does: 429 `TooManyRequests` with `Retry-After` (the
 * Azure SDK retries a 429 or 503 only when that header is present), 503 with `Retry-After`, or a
 * bare 500 that clients retry with their own back-off.
 */
export function sendFault(
  res: Response,
  fault: Extract<Fault, { kind: 'throttled' | 'server-error' }>,
  level: string,
): void {
  if (fault.kind === 'throttled') {
    res.set('Retry-After', String(fault.retryAfterSeconds));
    res.set(`x-ms-ratelimit-remaining-${level}-reads`, '0');
    sendArmError(
      res,
      429,
      'TooManyRequests',
      `Number of read requests for this ${level} exceeded. Please try again after '${fault.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
    );
    return;
  }
  if (fault.status === 503) {
    res.set('Retry-After', String(fault.retryAfterSeconds));
    sendArmError(res, 503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry.');
    return;
  }
  sendArmError(res, 500, 'InternalServerError', 'Encountered internal server error. Please try again.');
}

/**
 * A connection fault: `reset` destroys the socket at once (no status line, so the client sees a reset
 * or "socket hang up"); `hang` says nothing until the client gives up and closes, or `ms` passes and
 * the sandbox drops the connection itself, still without an answer. Resolves once the connection is
 * gone, so the caller can count the call.
 */
export function breakConnection(res: Response, fault: ConnectionFault): Promise<void> {
  const socket = res.req.socket;
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    if (fault.kind === 'reset') {
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), fault.ms);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}
