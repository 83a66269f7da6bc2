import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessJobQueue } from '../../src/jobs/in-process.ts';
import { createPgBossJobQueue } from '../../src/jobs/pg-boss.ts';
import type { JobQueue } from '../../src/jobs/queue.ts';
import { type PostgresConfig, parseDatabaseUrl } from '../../src/platform/config/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { freshSchemaName, postgresUrlWithSchema, TEST_DATABASE_URL } from '../support/test-database.ts';

const logger = createLogger({ level: 'silent' });
const open: JobQueue[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((queue) => queue.stop()));
});

const until = async (check: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Two "instances" of one kind of queue: for pg-boss, two queues on one schema; in-process has one. */
const kinds: [string, () => JobQueue[]][] = [['in-process', () => [createInProcessJobQueue({ logger })]]];
if (TEST_DATABASE_URL) {
  kinds.push([
    'pg-boss',
    () => {
      const target = {
        ...(parseDatabaseUrl(
          postgresUrlWithSchema(TEST_DATABASE_URL as string, freshSchemaName()),
        ) as object),
        poolSize: 3,
        caPath: undefined,
      } as PostgresConfig;
      return [
        createPgBossJobQueue(target, { logger, heartbeatSeconds: 10 }),
        createPgBossJobQueue(target, { logger, heartbeatSeconds: 10 }),
      ];
    },
  ]);
}

describe.each(kinds)('the %s job queue', (_kind, make) => {
  it('hands each job to exactly one worker, never more at once than the concurrency', async () => {
    const queues = make();
    open.push(...queues);
    const seen: number[] = [];
    let inHand = 0;
    let most = 0;
    for (const queue of queues) {
      queue.work<{ n: number }>('test-jobs', { concurrency: 3 }, async ({ n }) => {
        inHand += 1;
        most = Math.max(most, inHand);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(n);
        inHand -= 1;
      });
    }
    await queues[0]!.send(
      'test-jobs',
      Array.from({ length: 60 }, (_, n) => ({ n })),
    );
    await until(() => seen.length >= 60);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(most).toBeLessThanOrEqual(3 * queues.length);
  });

  it('tries a job again after its handler threw', async () => {
    const [queue] = make();
    open.push(queue!);
    let attempts = 0;
    queue!.work<{ n: number }>('flaky', { concurrency: 1 }, async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('database went away');
    });
    await queue!.send('flaky', [{ n: 1 }]);
    await until(() => attempts >= 2);
    expect(attempts).toBe(2);
  });

  it('lets a job in hand finish when stopped', async () => {
    const [queue] = make();
    let finished = false;
    let started = false;
    queue!.work('slow', { concurrency: 1 }, async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    await queue!.send('slow', [{}]);
    await until(() => started);
    await queue!.stop();
    expect(finished).toBe(true);
  });
});
