import type { Config } from '../platform/config/index.ts';
import type { Logger } from '../platform/logger.ts';
import { createInProcessJobQueue } from './in-process.ts';
import { createPgBossJobQueue } from './pg-boss.ts';
import type { JobQueue } from './queue.ts';

export type { JobHandler, JobQueue } from './queue.ts';

/** pg-boss when the database is PostgreSQL (unless `JOB_QUEUE=in-process`), else the in-process queue. */
export function createJobQueue(config: Config, logger: Logger): JobQueue {
  const jobsLogger = logger.child({ component: 'jobs' });
  if (config.jobs.queue === 'pg-boss' && config.database.kind === 'postgres')
    return createPgBossJobQueue(config.database, {
      logger: jobsLogger,
      heartbeatSeconds: config.jobs.heartbeatSeconds,
    });
  return createInProcessJobQueue({ logger: jobsLogger });
}
