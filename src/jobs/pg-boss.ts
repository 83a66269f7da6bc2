import { PgBoss } from 'pg-boss';
import type { PostgresConfig } from '../platform/config/index.ts';
import { poolConfig } from '../platform/db/postgres.ts';
import type { Logger } from '../platform/logger.ts';
import type { JobHandler, JobQueue, WorkOptions } from './queue.ts';
import { createWorkerLoops, type JobSource } from './worker-loop.ts';

export interface PgBossOptions {
  logger: Logger;
  /**
   * A job whose process stops sending heartbeats for this long (it crashed, or lost the database) is
   * handed to another instance. pg-boss's minimum is 10 s.
   */
  heartbeatSeconds: number;
}

/** pg-boss keeps its tables in a schema of its own, beside ours (`?schema=x` → `x_jobs`). */
export function jobsSchema(target: PostgresConfig): string {
  return target.schema ? `${target.schema}_jobs` : 'pal_jobs';
}

/**
 * Jobs in PostgreSQL through pg-boss: every instance claims from the same queues (SKIP LOCKED), so a
 * job is worked once, by whichever instance is free. Each instance keeps its jobs' heartbeats going;
 * pg-boss's supervisor (on every instance, under an advisory lock) retries jobs whose heartbeat
 * stopped, which is how a killed instance's work moves to the others.
 */
export function createPgBossJobQueue(target: PostgresConfig, options: PgBossOptions): JobQueue {
  const { logger, heartbeatSeconds } = options;
  const pool = poolConfig(target);
  const boss = new PgBoss({
    connectionString: pool.connectionString,
    ssl: pool.ssl,
    schema: jobsSchema(target),
    // pg-boss's own pool, small: claims and completions are short statements.
    max: Math.max(2, Math.min(4, target.poolSize)),
    application_name: 'pal-manager-jobs',
    // Our schedules are decided in our own tables (health/schedule.ts); pg-boss's cron stays off.
    schedule: false,
    supervise: true,
    // The supervisor is what notices a dead worker: look twice per heartbeat window.
    superviseIntervalSeconds: Math.max(2, Math.floor(heartbeatSeconds / 2)),
    monitorIntervalSeconds: Math.max(2, Math.floor(heartbeatSeconds / 2)),
  });
  boss.on('error', (err) => logger.error({ err }, 'job queue (pg-boss) error'));
  let started: Promise<PgBoss> | undefined;
  const ready = () => {
    started ??= boss.start();
    return started;
  };
  const created = new Map<string, Promise<void>>();
  const queueReady = async (queue: string) => {
    const instance = await ready();
    let made = created.get(queue);
    if (!made) {
      made = instance.createQueue(queue, {
        heartbeatSeconds,
        // A job that cannot finish in this long is stuck, whatever its heartbeat says.
        expireInSeconds: 15 * 60,
        retryLimit: 3,
        retryDelay: 5,
        retryBackoff: true,
        deleteAfterSeconds: 24 * 3600,
      });
      created.set(queue, made);
    }
    await made;
    return instance;
  };
  const loops = createWorkerLoops((queue) => sourceFor(queue), {
    // Another instance's jobs are found by polling; this one's by `wake()` at once.
    idleMs: 1_000,
    heartbeatMs: (heartbeatSeconds * 1000) / 3,
    logger,
  });

  const sourceFor = (queue: string): JobSource<object> => ({
    async fetch(limit) {
      const instance = await queueReady(queue);
      const jobs = await instance.fetch<object>(queue, { batchSize: limit });
      return jobs.map((job) => ({ id: job.id, data: job.data }));
    },
    async complete(id) {
      await (await queueReady(queue)).complete(queue, id);
    },
    async fail(id, error) {
      const message = error instanceof Error ? error.message : String(error);
      await (await queueReady(queue)).fail(queue, id, { message });
    },
    async heartbeat(ids) {
      await (await queueReady(queue)).touch(queue, ids);
    },
  });

  return {
    kind: 'pg-boss',
    async send(queue, jobs) {
      if (jobs.length === 0) return;
      const instance = await queueReady(queue);
      // One statement per slice: a run of thousands of jobs is stored in a few round trips.
      for (let i = 0; i < jobs.length; i += 500) {
        await instance.insert(
          queue,
          jobs.slice(i, i + 500).map((data) => ({ data })),
        );
      }
      loops.wake(queue);
    },
    work<T extends object>(queue: string, work: WorkOptions, handler: JobHandler<T>) {
      loops.start(queue, work.concurrency, handler as JobHandler<object>);
    },
    async stop() {
      await loops.stopAll();
      if (started) await (await started).stop({ graceful: true });
    },
  };
}
