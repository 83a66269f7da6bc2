import { randomUUID } from 'node:crypto';
import type { MailTransport, OutgoingMail } from '../mail/transport.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/connection.ts';
import type { Logger } from '../platform/logger.ts';
import { nextAttemptDelay } from './backoff.ts';
import { createOutcomeRecorder } from './recorder.ts';
import { createOutboxStore, type OutboxRow } from './store.ts';

/** What to do with one claimed row: send this message, skip it for good (a superseded link), or retry later. */
export type Composed = { mail: OutgoingMail } | { skip: string } | { retry: string };

/**
 * Turns claimed rows into messages, one result per row in the same order. It gets the whole slice so
 * it can load what the messages need in one query instead of one per message.
 */
export type Composer = (rows: OutboxRow[]) => Promise<Composed[]>;

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  mail: MailTransport;
  compose: Composer;
  /** Messages in flight at most: enough to keep the SMTP pool busy, few enough to send well within a claim. */
  batchSize?: number;
  /** How long a claim holds before another sender may take the message over. */
  claimMs?: number;
  idleMs?: number;
  maxAttempts?: number;
}

/**
 * Sends what the outbox holds. It keeps a steady number of messages in flight through the (pooled)
 * transport, claiming more whenever half of them are done, rather than sending a slice and waiting for
 * its slowest message. Outcomes are written as they come, a few per commit (see recorder.ts), so a
 * crash loses at most the messages in flight and those answered in the last few milliseconds; they are
 * sent again once their claims expire.
 */
export function createOutboxWorker(options: OutboxWorkerOptions) {
  const store = createOutboxStore(options.db);
  const workerId = randomUUID();
  const maxInFlight = options.batchSize ?? 50;
  // Refill at half: the pool still has plenty queued while the next slice is claimed and composed.
  const refillBelow = Math.ceil(maxInFlight / 2);
  const claimMs = options.claimMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const recorder = createOutcomeRecorder(store, workerId, options.logger);
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const retryAt = (row: OutboxRow) =>
    new Date(options.clock.now().getTime() + nextAttemptDelay(row.attempts));

  /** Claims up to `limit` due messages and composes them; the rows come back with what to do with each. */
  async function claimAndCompose(limit: number): Promise<[OutboxRow, Composed][]> {
    const rows = await store.claim(workerId, limit, options.clock.now(), claimMs);
    if (rows.length === 0) return [];
    let composed: Composed[];
    try {
      composed = await options.compose(rows);
    } catch (error) {
      options.logger.error({ err: error, count: rows.length }, 'could not compose messages');
      composed = rows.map(() => ({ retry: 'could not compose the message' }));
    }
    return rows.map((row, i) => [row, composed[i] ?? { retry: 'could not compose the message' }]);
  }

  async function deliver(row: OutboxRow, composed: Composed): Promise<void> {
    if ('skip' in composed) return recorder.add({ id: row.id, state: 'skipped', reason: composed.skip });
    if ('retry' in composed) {
      return recorder.add({
        id: row.id,
        state: 'queued',
        error: composed.retry,
        nextAttemptAt: retryAt(row),
      });
    }
    const outcome = await options.mail.send(composed.mail);
    if (outcome.ok) {
      recorder.add({
        id: row.id,
        state: 'sent',
        providerMessageId: outcome.providerMessageId,
        at: options.clock.now(),
      });
    } else if (outcome.permanent) {
      recorder.add({ id: row.id, state: 'failed', reason: outcome.reason });
    } else if (row.attempts >= maxAttempts) {
      const reason = `gave up after ${row.attempts} attempts: ${outcome.reason}`;
      recorder.add({ id: row.id, state: 'failed', reason });
    } else {
      recorder.add({ id: row.id, state: 'queued', error: outcome.reason, nextAttemptAt: retryAt(row) });
    }
  }

  /**
   * Sends until nothing is due (or `keepGoing` says stop), then waits for the messages in flight and
   * their outcomes to be written. Returns how many messages it handled. A failed claim stops claiming;
   * it is thrown once the messages already in flight are done and recorded.
   */
  async function pump(keepGoing: () => boolean = () => true): Promise<number> {
    let handled = 0;
    let inFlight = 0;
    let exhausted = false;
    let failure: { error: unknown } | undefined;
    let slotFreed: (() => void) | undefined;
    while (true) {
      if (!exhausted && keepGoing() && inFlight < refillBelow) {
        let slice: [OutboxRow, Composed][] = [];
        try {
          slice = await claimAndCompose(maxInFlight - inFlight);
        } catch (error) {
          failure = { error };
        }
        if (slice.length === 0) exhausted = true;
        handled += slice.length;
        inFlight += slice.length;
        for (const [row, composed] of slice) {
          void deliver(row, composed)
            .catch((error) => options.logger.error({ err: error, outboxId: row.id }, 'sending failed'))
            .finally(() => {
              inFlight -= 1;
              slotFreed?.();
            });
        }
        continue;
      }
      if (inFlight === 0) break;
      await new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
      slotFreed = undefined;
    }
    await recorder.flush();
    if (failure) throw failure.error;
    return handled;
  }

  return {
    workerId,

    /** One slice: claims up to `batchSize` due messages, sends them and records the outcomes. */
    async runOnce(): Promise<number> {
      const slice = await claimAndCompose(maxInFlight);
      await Promise.all(slice.map(([row, composed]) => deliver(row, composed)));
      await recorder.flush();
      return slice.length;
    },

    /** Sends until nothing is due right now (tests, the CLI, benchmarks). */
    drain: () => pump(),

    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let handled = 0;
          try {
            handled = await pump(() => running);
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

    /** Stops claiming, lets the messages in flight finish and waits until their outcomes are written. */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
