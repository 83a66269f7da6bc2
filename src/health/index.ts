import { createAutomationRunPart } from '../automation/check.ts';
import { createAutomationTokens } from '../automation/credentials.ts';
import { createTokenCacheStore } from '../azure/token-cache-store.ts';
import type { Deps } from '../deps.ts';
import type { RunFinishedHook, RunReport } from './report.ts';
import { executeRun } from './run.ts';
import { createHealthSchedule } from './schedule.ts';
import { createHealthStore, type Trigger } from './store.ts';

export type { RunFinishedHook, RunReport } from './report.ts';

/** A run whose heartbeat is older than this was left by a process that died: it is marked failed. */
export const RUN_STALE_AFTER_MS = 10 * 60_000;

export type HealthDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'azure' | 'sealedBox' | 'config' | 'health'>;

export interface HealthRunHandle {
  runId: string;
  /** False when another run was already going: `runId` is that one. */
  started: boolean;
  /** Settles when this process's run has finished (undefined when it did not start one, or it crashed). */
  finished: Promise<RunReport | undefined>;
}

/**
 * Starts a health-check run in the background of this process, unless one is running anywhere (then
 * returns that one). The hook defaults to `deps.health.onRunFinished`, where the notifications plug in.
 */
export async function startHealthRun(
  deps: HealthDeps,
  options: {
    trigger: Trigger;
    onRunFinished?: RunFinishedHook;
    onProgress?: (progress: { done: number; total: number }) => void;
  },
): Promise<HealthRunHandle> {
  const store = createHealthStore(deps.db);
  const now = deps.clock.now();
  const claim = await store.claimRun({
    trigger: options.trigger,
    now: now.toISOString(),
    staleBefore: new Date(now.getTime() - RUN_STALE_AFTER_MS).toISOString(),
  });
  if (!claim.started) return { ...claim, finished: Promise.resolve(undefined) };
  const logger = deps.logger.child({ component: 'health', runId: claim.runId });
  const finished = executeRun(
    {
      store,
      clock: deps.clock,
      logger,
      concurrency: deps.config.healthCheckConcurrency,
      azure: {
        identity: deps.azure.identity,
        arm: deps.azure.arm,
        tokenCaches: createTokenCacheStore(deps),
      },
      automation: createAutomationRunPart({
        db: deps.db,
        arm: deps.azure.arm,
        tokens: createAutomationTokens({
          authorityHost: deps.config.azure.authorityHost,
          sealedBox: deps.sealedBox,
          secrets: deps.config.automationSecrets,
        }),
      }),
      onRunFinished: options.onRunFinished ?? deps.health.onRunFinished,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    { runId: claim.runId, trigger: options.trigger, startedAt: now.toISOString() },
  ).catch((error: unknown) => {
    logger.error({ err: error }, 'health check run could not be recorded as finished');
    return undefined;
  });
  return { ...claim, finished };
}

/** The server's schedule (`HEALTH_CHECK_SCHEDULE`): tick it from a timer; tests tick it by hand. */
export function createScheduledHealthChecks(deps: HealthDeps) {
  const store = createHealthStore(deps.db);
  return createHealthSchedule({
    cron: deps.config.healthCheckSchedule,
    clock: deps.clock,
    lastScheduledAt: () => store.lastScheduledAt(),
    fire: async () => {
      const run = await startHealthRun(deps, { trigger: 'schedule' });
      deps.logger.info({ runId: run.runId, started: run.started }, 'scheduled health check');
    },
    onError: (error) => deps.logger.error({ err: error }, 'starting the scheduled health check failed'),
  });
}
