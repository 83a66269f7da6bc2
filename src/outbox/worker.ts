import { randomUUID } from 'node:crypto';
import type { MailTransport, OutgoingMail } from '../mail/transport.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/connection.ts';
import type { Logger } from '../platform/logger.ts';
import { nextAttemptDelay } from './backoff.ts';
import { createOutboxStore, type OutboxRow } from './store.ts';

/** Turns a row into a message; rows that must not be sent any more (a superseded link) are skipped. */
export type Composer = (row: OutboxRow) => Promise<{ mail: OutgoingMail } | { skip: string }>;

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  mail: MailTransport;
  compose: Composer;
  /** Messages claimed per round: enough to keep the SMTP pool busy. */
  batchSize?: number;
  /** How long a claim holds before another sender may take the message over. */
  claimMs?: number;
  idleMs?: number;
  maxAttempts?: number;
}

/**
 * Sends what the outbox holds. Each round claims a slice of due messages and sends them concurrently
 * through the (pooled) transport; outcomes are written back one by one, so a crash loses at most the
 * messages in flight, which are sent again once their claims expire.
 */
export function createOutboxWorker(options: OutboxWorkerOptions) {
  const store = createOutboxStore(options.db);
  const workerId = randomUUID();
  const batchSize = options.batchSize ?? 50;
  const claimMs = options.claimMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? 8;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  async function deliver(row: OutboxRow): Promise<void> {
    let composed: Awaited<ReturnType<Composer>>;
    try {
      composed = await options.compose(row);
    } catch (error) {
      options.logger.error({ err: error, outboxId: row.id }, 'could not compose a message');
      await store.markRetry(row.id, workerId, 'could not compose the message', retryAt(row));
      return;
    }
    if ('skip' in composed) {
      await store.markFinal(row.id, workerId, 'skipped', composed.skip);
      return;
    }
    const outcome = await options.mail.send(composed.mail);
    if (outcome.ok) {
      await store.markSent(row.id, workerId, outcome.providerMessageId, options.clock.now());
    } else if (outcome.permanent) {
      await store.markFinal(row.id, workerId, 'failed', outcome.reason);
    } else if (row.attempts >= maxAttempts) {
      await store.markFinal(
        row.id,
        workerId,
        'failed',
        `gave up after ${row.attempts} attempts: ${outcome.reason}`,
      );
    } else {
      await store.markRetry(row.id, workerId, outcome.reason, retryAt(row));
    }
  }

  const retryAt = (row: OutboxRow) =>
    new Date(options.clock.now().getTime() + nextAttemptDelay(row.attempts));

  /** One round: claim and send; returns how many messages it handled. */
  async function runOnce(): Promise<number> {
    const rows = await store.claim(workerId, batchSize, options.clock.now(), claimMs);
    await Promise.all(rows.map((row) => deliver(row)));
    return rows.length;
  }

  return {
    workerId,
    runOnce,

    /** Sends until nothing is due right now (tests, the CLI, benchmarks). */
    async drain(): Promise<number> {
      let total = 0;
      for (let handled = await runOnce(); handled > 0; handled = await runOnce()) total += handled;
      return total;
    },

    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let handled = 0;
          try {
            handled = await runOnce();
          } catch (error) {
            options.logger.error({ err: error }, 'outbox round failed; retrying shortly');
          }
          if (handled === 0 && running) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, options.idleMs ?? 1000);
              wakeUp = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wakeUp = undefined;
          }
        }
      })();
    },

    /** Something was just queued: look now instead of at the next poll. */
    wake(): void {
      wakeUp?.();
    },

    /** Stops after the round in progress, so messages in flight are recorded. */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
