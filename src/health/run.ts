import type { AutomationRunPart } from '../automation/check.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import {
  type AssociationToCheck,
  type CheckDeps,
  type CheckOutcome,
  checkAssociation,
} from './check-association.ts';
import { createKeyedLock } from './concurrency.ts';
import type { RunFinishedHook, RunReport } from './report.ts';
import { createRoleDefinitionCache, type RoleDefinitionCache } from './role-definitions.ts';
import { readRunReport } from './run-report.ts';
import { settle } from './settle.ts';
import type { Checkable, HealthStore } from './store.ts';

/** The queue a run's checks go through; its jobs are `CheckJob`s. */
export const CHECK_QUEUE = 'health-check';

/** One job: a consultant's associations in one run, checked one after another. */
export interface CheckJob {
  runId: string;
  associationIds: string[];
}

export interface RunContext {
  store: HealthStore;
  clock: Clock;
  logger: Logger;
  jobs: JobQueue;
  /** Names this process in the verdicts it records. */
  instanceId: string;
  azure: Omit<CheckDeps, 'roleDefinitions' | 'accountLock'>;
  /** Automation identities' associations and their check (src/automation). */
  automation: AutomationRunPart;
  /** The hook for a run this process finishes (a run started here may have brought its own). */
  hookFor(runId: string): RunFinishedHook;
  /** Told when this process has finished a run and announced it. */
  finished(runId: string, report: RunReport | undefined): void;
}

/** Everything a run checks now: consultants' associations and automation identities'. */
export async function checkableNow(ctx: RunContext): Promise<Checkable[]> {
  return [...(await ctx.store.checkable()), ...(await ctx.automation.checkable())];
}

/**
 * A consultant's checks share one token cache whose refresh token rotates on use, so they belong in
 * one job, one after another; different consultants' jobs run in parallel on any instance. An
 * automation identity's associations (its ID stands in `consultantId`) make one job likewise.
 */
export function jobsFor(runId: string, associations: readonly Checkable[]): CheckJob[] {
  const byAccount = new Map<string, string[]>();
  for (const association of associations) {
    const key = association.homeAccountId ?? association.consultantId;
    const ids = byAccount.get(key) ?? [];
    ids.push(association.id);
    byAccount.set(key, ids);
  }
  return [...byAccount.values()].map((associationIds) => ({ runId, associationIds }));
}

/**
 * Lists what a claimed run checks, records the total and queues the jobs. A run with nothing to check
 * completes at once; one that cannot be planned fails, and admins hear why.
 */
export async function planRun(ctx: RunContext, runId: string): Promise<void> {
  try {
    const associations = await checkableNow(ctx);
    await ctx.store.setTotal(runId, associations.length);
    await ctx.jobs.send(CHECK_QUEUE, jobsFor(runId, associations));
  } catch (failure) {
    ctx.logger.error({ err: failure, runId }, 'health check run could not be planned');
    await abandonRun(ctx, runId, failure instanceof Error ? failure.message : String(failure));
    return;
  }
  await completeIfDone(ctx, runId);
}

/**
 * The job handler. A job may run twice (its first worker presumed dead): associations with a verdict
 * in this run are skipped, and recording is once per association per run in any case. Role
 * definitions are cached per run in each process (one fetch per ID and tenant per instance).
 */
export function createCheckJobHandler(ctx: RunContext) {
  const roleCaches = new Map<string, RoleDefinitionCache>();
  const accountLock = createKeyedLock();
  const roleCacheFor = (runId: string) => {
    let cache = roleCaches.get(runId);
    if (!cache) {
      cache = createRoleDefinitionCache(ctx.azure.arm);
      roleCaches.set(runId, cache);
      // Only the latest runs' caches are kept: a run's definitions are worthless to the next one.
      for (const old of [...roleCaches.keys()].slice(0, -2)) roleCaches.delete(old);
    }
    return cache;
  };

  return async (job: CheckJob): Promise<void> => {
    const run = await ctx.store.run(job.runId);
    if (run?.state !== 'running') return; // finished, or given up, meanwhile
    const recorded = await ctx.store.recordedIn(job.runId, job.associationIds);
    const named = [
      ...(await ctx.store.checkableByIds(job.associationIds)),
      ...(await ctx.automation.checkable(job.associationIds)),
    ];
    const todo = named.filter((a) => !recorded.has(a.id));
    const check: CheckDeps = { ...ctx.azure, roleDefinitions: roleCacheFor(job.runId), accountLock };
    for (const association of todo) {
      const outcome = await checkSafely(check, association, ctx.logger, ctx.automation);
      const now = ctx.clock.now().toISOString();
      await ctx.store.record({
        runId: job.runId,
        association,
        outcome,
        settled: settle(association.shown, outcome, now),
        now,
        checkedBy: ctx.instanceId,
      });
    }
    await completeIfDone(ctx, job.runId);
  };
}

/** Completes the run when its last verdict is in; whichever job gets there first announces it. */
export async function completeIfDone(ctx: RunContext, runId: string): Promise<void> {
  if (!(await ctx.store.completeIfDone(runId, ctx.clock.now().toISOString()))) return;
  await announce(ctx, runId, []);
}

/** Ends a run that cannot go on; admins get the reason in the run-finished report. */
export async function abandonRun(ctx: RunContext, runId: string, error: string): Promise<void> {
  if (!(await ctx.store.failRun(runId, error, ctx.clock.now().toISOString()))) return;
  await announce(ctx, runId, [{ kind: 'run_failed', message: `The health check run stopped: ${error}` }]);
}

async function announce(ctx: RunContext, runId: string, alerts: RunReport['adminAlerts']): Promise<void> {
  let report: RunReport | undefined;
  try {
    report = await readRunReport(ctx.store, runId, alerts);
    if (report) await ctx.hookFor(runId)(report);
  } catch (error) {
    ctx.logger.error({ err: error, runId }, 'health check: the run-finished hook failed');
  }
  ctx.finished(runId, report);
}

/** A bug or a broken store for one association must not stop the run: it becomes a failed check. */
async function checkSafely(
  deps: CheckDeps,
  association: AssociationToCheck,
  logger: Logger,
  automation: AutomationRunPart,
): Promise<CheckOutcome> {
  try {
    // The one place the run tells the two kinds apart: an automation identity acts with its own credential.
    if (association.kind === 'service_principal')
      return await automation.check(association, deps.roleDefinitions);
    return await checkAssociation(deps, association);
  } catch (error) {
    logger.error({ err: error, associationId: association.id }, 'health check of an association threw');
    return {
      verdict: 'check_failed',
      evidence: {
        partnerId: null,
        expectedPartnerId: association.expectedPartnerId,
        subscriptions: null,
        roles: [],
        errorCode: 'internal_error',
        errorKind: 'internal',
        message:
          'The check failed inside PAL Manager (for example a token cache it cannot decrypt); see the server log',
        adminAlert: true,
      },
    };
  }
}
