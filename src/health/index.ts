import { setTimeout as sleep } from 'node:timers/promises';
import { createAutomationRunPart } from '../automation/check.ts';
import { createAutomationTokens } from '../automation/credentials.ts';
import { createTokenCacheStore } from '../azure/token-cache-store.ts';
import type { Deps } from '../deps.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { RunFinishedHook, RunReport } from './report.ts';
import { resumeStalledRuns } from './resume.ts';
import { CHECK_QUEUE, type CheckJob, createCheckJobHandler, planRun, type RunContext } from './run.ts';
import { readRunReport } from './run-report.ts';
import { createHealthSchedule } from './schedule.ts';
import { createHealthStore, type Trigger } from './store.ts';

export type { RunFinishedHook, RunReport } from './report.ts';

/** A run whose heartbeat is older than this when another is asked for was left by a dead process: failed. */
export const RUN_STALE_AFTER_MS = 10 * 60_000;

export type HealthDeps = Pick<
  Deps,
  'db' | 'clock' | 'logger' | 'azure' | 'sealedBox' | 'config' | 'health' | 'jobs' | 'instanceId'
>;

export interface HealthRunHandle {
  runId: string;
  /** False when another run was already going (or this schedule occurrence had one): `runId` is that one. */
  started: boolean;
}

/** This process's side of health-check runs: its job worker, and who waits for which run. */
interface HealthWorker {
  ctx: RunContext;
  hooks: Map<string, RunFinishedHook>;
  waiters: Map<string, Set<(report: RunReport | undefined) => void>>;
}

const workers = new WeakMap<JobQueue, HealthWorker>();

/**
 * Makes this process work health-check jobs (idempotent). The server calls it at start-up, so every
 * instance takes part in every run; `startHealthRun` calls it too, so a CLI run needs no server.
 */
export function startHealthWorker(deps: HealthDeps): HealthWorker {
  const existing = workers.get(deps.jobs);
  if (existing) return existing;
  const hooks = new Map<string, RunFinishedHook>();
  const waiters = new Map<string, Set<(report: RunReport | undefined) => void>>();
  const ctx: RunContext = {
    store: createHealthStore(deps.db),
    clock: deps.clock,
    logger: deps.logger.child({ component: 'health' }),
    jobs: deps.jobs,
    instanceId: deps.instanceId,
    azure: { identity: deps.azure.identity, arm: deps.azure.arm, tokenCaches: createTokenCacheStore(deps) },
    automation: createAutomationRunPart({
      db: deps.db,
      arm: deps.azure.arm,
      tokens: createAutomationTokens({
        authorityHost: deps.config.azure.authorityHost,
        sealedBox: deps.sealedBox,
        secrets: deps.config.automationSecrets,
      }),
    }),
    hookFor: (runId) => hooks.get(runId) ?? deps.health.onRunFinished,
    finished: (runId, report) => {
      hooks.delete(runId);
      for (const resolve of waiters.get(runId) ?? []) resolve(report);
      waiters.delete(runId);
    },
  };
  deps.jobs.work<CheckJob>(
    CHECK_QUEUE,
    { concurrency: deps.config.healthCheckConcurrency },
    createCheckJobHandler(ctx),
  );
  const worker = { ctx, hooks, waiters };
  workers.set(deps.jobs, worker);
  return worker;
}

/**
 * Starts a health-check run unless one is running anywhere (then names that one). The run's checks
 * are queued as jobs that this and every other instance work; `waitForRun` follows it to the end. The
 * hook defaults to `deps.health.onRunFinished` and is called by whichever instance finishes the run.
 */
export async function startHealthRun(
  deps: HealthDeps,
  options: { trigger: Trigger; onRunFinished?: RunFinishedHook; scheduleSlot?: string },
): Promise<HealthRunHandle> {
  const worker = startHealthWorker(deps);
  const now = deps.clock.now();
  const claim = await worker.ctx.store.claimRun({
    trigger: options.trigger,
    now: now.toISOString(),
    staleBefore: new Date(now.getTime() - RUN_STALE_AFTER_MS).toISOString(),
    ...(options.scheduleSlot ? { scheduleSlot: options.scheduleSlot } : {}),
  });
  if (!claim.started) return claim;
  if (options.onRunFinished) worker.hooks.set(claim.runId, options.onRunFinished);
  worker.ctx.logger.info({ runId: claim.runId, trigger: options.trigger }, 'health check run started');
  await planRun(worker.ctx, claim.runId);
  return claim;
}

/**
 * Resolves with the run's report once it has ended, whichever instance ended it: at once when it was
 * this process, else within a poll of the database. Undefined for an unknown run.
 */
export async function waitForRun(deps: HealthDeps, runId: string): Promise<RunReport | undefined> {
  const worker = startHealthWorker(deps);
  let wake: ((report: RunReport | undefined) => void) | undefined;
  const local = new Promise<RunReport | undefined>((resolve) => {
    wake = resolve;
    const set = worker.waiters.get(runId) ?? new Set();
    set.add(resolve);
    worker.waiters.set(runId, set);
  });
  let waiting = true;
  const elsewhere = (async () => {
    while (waiting) {
      const run = await worker.ctx.store.run(runId);
      if (run?.state !== 'running') return run ? readRunReport(worker.ctx.store, runId) : undefined;
      await sleep(500);
    }
    return undefined;
  })();
  try {
    return await Promise.race([local, elsewhere]);
  } finally {
    waiting = false;
    // Ended elsewhere: this process will never call the waiter; forget it.
    const set = worker.waiters.get(runId);
    if (wake) set?.delete(wake);
    if (set?.size === 0) worker.waiters.delete(runId);
  }
}

/** Resumes runs whose checks stopped (see resume.ts); the server's schedule tick calls it. */
export function resumeStalledHealthRuns(deps: HealthDeps): Promise<string[]> {
  return resumeStalledRuns(startHealthWorker(deps).ctx);
}

/** The server's schedule (`HEALTH_CHECK_SCHEDULE`): tick it from a timer; tests tick it by hand. */
export function createScheduledHealthChecks(deps: HealthDeps) {
  const store = createHealthStore(deps.db);
  return createHealthSchedule({
    cron: deps.config.healthCheckSchedule,
    clock: deps.clock,
    lastScheduledAt: () => store.lastScheduledAt(),
    fire: async (occurrence) => {
      const run = await startHealthRun(deps, { trigger: 'schedule', scheduleSlot: occurrence.toISOString() });
      deps.logger.info({ runId: run.runId, started: run.started }, 'scheduled health check');
    },
    onError: (error) => deps.logger.error({ err: error }, 'starting the scheduled health check failed'),
  });
}
