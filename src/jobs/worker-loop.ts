import type { Logger } from '../platform/logger.ts';
import type { JobHandler } from './queue.ts';

/** Where a worker loop takes its jobs from and reports back to: memory, or pg-boss's tables. */
export interface JobSource<T> {
  /** Claims up to `limit` jobs for this process. */
  fetch(limit: number): Promise<{ id: string; data: T }[]>;
  complete(id: string): Promise<void>;
  fail(id: string, error: unknown): Promise<void>;
  /** Tells the store these jobs are still being worked on (pg-boss retries jobs whose heartbeat stops). */
  heartbeat?(ids: string[]): Promise<void>;
}

export interface WorkerLoopOptions {
  concurrency: number;
  /** How long to wait before looking again when the queue was empty. */
  idleMs: number;
  /** How often the jobs in hand send a heartbeat (when the source takes them). */
  heartbeatMs?: number;
  logger: Logger;
}

/**
 * Keeps up to `concurrency` jobs in hand, claiming more as soon as a slot frees up rather than in
 * rounds (a round waits for its slowest job), and sleeps only when nothing was there to claim.
 * `wake()` ends a sleep early: this process just queued something.
 */
export function startWorkerLoop<T>(source: JobSource<T>, handler: JobHandler<T>, options: WorkerLoopOptions) {
  const inHand = new Map<string, Promise<void>>();
  let running = true;
  let wakeUp: (() => void) | undefined;
  // A wake-up that came while the loop was not asleep (claiming, say): the next nap is skipped.
  let woken = false;
  let slotFreed: (() => void) | undefined;

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeUp = undefined;
    });

  const runJob = (job: { id: string; data: T }) => {
    const work = (async () => {
      try {
        await handler(job.data);
        await source.complete(job.id);
      } catch (error) {
        options.logger.warn({ err: error, jobId: job.id }, 'job failed; it will be retried');
        await source
          .fail(job.id, error)
          .catch((err) => options.logger.error({ err }, 'could not mark a job failed'));
      }
    })().finally(() => {
      inHand.delete(job.id);
      slotFreed?.();
    });
    inHand.set(job.id, work);
  };

  const heartbeats =
    source.heartbeat && options.heartbeatMs
      ? setInterval(() => {
          if (inHand.size === 0) return;
          source
            .heartbeat?.([...inHand.keys()])
            .catch((err) => options.logger.warn({ err }, 'could not send the jobs heartbeat'));
        }, options.heartbeatMs)
      : undefined;
  heartbeats?.unref();

  const loop = (async () => {
    while (running) {
      const free = options.concurrency - inHand.size;
      if (free > 0) {
        woken = false;
        let jobs: { id: string; data: T }[] = [];
        try {
          jobs = await source.fetch(free);
        } catch (error) {
          options.logger.error({ err: error }, 'could not claim jobs; trying again shortly');
        }
        for (const job of jobs) runJob(job);
        if (jobs.length > 0) continue;
        await nap(options.idleMs);
        continue;
      }
      await new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
      slotFreed = undefined;
    }
  })();

  return {
    wake(): void {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      slotFreed?.();
      await loop;
      await Promise.allSettled(inHand.values());
      if (heartbeats) clearInterval(heartbeats);
    },
  };
}

export type WorkerLoop = ReturnType<typeof startWorkerLoop>;

/** This process's worker loops, one per queue: a second `work()` for the same queue is ignored. */
export function createWorkerLoops(
  sourceFor: (queue: string) => JobSource<object>,
  base: Omit<WorkerLoopOptions, 'concurrency'>,
) {
  const loops = new Map<string, WorkerLoop>();
  return {
    start(queue: string, concurrency: number, handler: JobHandler<object>): void {
      if (loops.has(queue)) return;
      loops.set(queue, startWorkerLoop(sourceFor(queue), handler, { ...base, concurrency }));
    },
    /** Something was queued here: this process's loop for it looks now. */
    wake(queue: string): void {
      loops.get(queue)?.wake();
    },
    async stopAll(): Promise<void> {
      await Promise.all([...loops.values()].map((loop) => loop.stop()));
      loops.clear();
    },
  };
}
