import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger.ts';
import type { JobHandler, JobQueue, WorkOptions } from './queue.ts';
import { createWorkerLoops, type JobSource } from './worker-loop.ts';

/** Attempts before a job is dropped (logged): the same budget pg-boss gets below. */
const MAX_ATTEMPTS = 4;
const RETRY_DELAY_MS = 2_000;

interface Pending {
  id: string;
  data: object;
  attempts: number;
  notBefore: number;
}

/**
 * The embedded default: jobs live in this process's memory. What a crash loses here is recovered by the
 * work's own bookkeeping in the database (a health-check run left unfinished is resumed, see
 * health/resume.ts), not by the queue.
 */
export function createInProcessJobQueue(options: { logger: Logger }): JobQueue {
  const queues = new Map<string, Pending[]>();
  const pending = (queue: string) => {
    let list = queues.get(queue);
    if (!list) {
      list = [];
      queues.set(queue, list);
    }
    return list;
  };

  const sourceFor = (queue: string): JobSource<object> => {
    const inHand = new Map<string, Pending>();
    return {
      async fetch(limit) {
        const list = pending(queue);
        const now = Date.now();
        const taken: Pending[] = [];
        for (let i = 0; i < list.length && taken.length < limit; ) {
          const job = list[i] as Pending;
          if (job.notBefore <= now) {
            taken.push(job);
            list.splice(i, 1);
          } else i += 1;
        }
        for (const job of taken) inHand.set(job.id, job);
        return taken.map((job) => ({ id: job.id, data: job.data }));
      },
      async complete(id) {
        inHand.delete(id);
      },
      async fail(id, error) {
        const job = inHand.get(id);
        inHand.delete(id);
        if (!job) return;
        job.attempts += 1;
        if (job.attempts >= MAX_ATTEMPTS) {
          options.logger.error(
            { err: error, queue, attempts: job.attempts },
            'job dropped after its last attempt',
          );
          return;
        }
        job.notBefore = Date.now() + RETRY_DELAY_MS * 2 ** (job.attempts - 1);
        pending(queue).push(job);
      },
    };
  };

  const loops = createWorkerLoops(sourceFor, { idleMs: 1_000, logger: options.logger });

  return {
    kind: 'in-process',
    async send(queue, jobs) {
      const list = pending(queue);
      for (const data of jobs) list.push({ id: randomUUID(), data, attempts: 0, notBefore: 0 });
      loops.wake(queue);
    },
    work<T extends object>(queue: string, work: WorkOptions, handler: JobHandler<T>) {
      loops.start(queue, work.concurrency, handler as JobHandler<object>);
    },
    stop: () => loops.stopAll(),
  };
}
