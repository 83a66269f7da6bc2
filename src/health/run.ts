import type { AutomationRunPart } from '../automation/check.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { createAlertTally } from './alerts.ts';
import {
  type AssociationToCheck,
  type CheckDeps,
  type CheckOutcome,
  checkAssociation,
} from './check-association.ts';
import { createKeyedLock, forEachBounded } from './concurrency.ts';
import type { RunFinishedHook, RunReport } from './report.ts';
import { createRoleDefinitionCache } from './role-definitions.ts';
import { settle } from './settle.ts';
import type { Checkable, HealthStore, Trigger } from './store.ts';

export interface RunDeps {
  store: HealthStore;
  clock: Clock;
  logger: Logger;
  /** Associations checked at once (each makes its Resource Manager calls one after another). */
  concurrency: number;
  azure: Omit<CheckDeps, 'roleDefinitions' | 'accountLock'>;
  /** Automation identities' associations and their check (src/automation); none when absent. */
  automation?: AutomationRunPart;
  onProgress?: (progress: { done: number; total: number }) => void;
  onRunFinished: RunFinishedHook;
}

type Alert = RunReport['adminAlerts'][number];

/**
 * One pass over every active association, for a run already claimed (`store.claimRun`): check each
 * with bounded concurrency, record the verdict, settle what the association shows, then finish the run
 * and hand the report to the hook. No timers: time comes from the injected clock.
 */
export async function executeRun(
  deps: RunDeps,
  run: { runId: string; trigger: Trigger; startedAt: string },
): Promise<RunReport> {
  const counts: Record<string, number> = {};
  const transitions: RunReport['transitions'] = [];
  const tally = createAlertTally();
  const alerts: Alert[] = [];
  let total = 0;
  let error: string | null = null;
  const check: CheckDeps = {
    ...deps.azure,
    roleDefinitions: createRoleDefinitionCache(deps.azure.arm),
    accountLock: createKeyedLock(),
  };

  try {
    const associations = [...(await deps.store.checkable()), ...((await deps.automation?.checkable()) ?? [])];
    total = associations.length;
    await deps.store.setTotal(run.runId, total);
    let done = 0;
    deps.onProgress?.({ done, total });
    await forEachBounded(associations, deps.concurrency, async (association) => {
      const outcome = await checkSafely(check, association, deps.logger, deps.automation);
      const now = deps.clock.now().toISOString();
      const settled = settle(association.shown, outcome, now);
      await deps.store.record({ runId: run.runId, association, outcome, settled, now });
      counts[outcome.verdict] = (counts[outcome.verdict] ?? 0) + 1;
      if (settled.transition) transitions.push(transitionOf(association, settled.transition, outcome));
      tally.note(association.tenantId, outcome.evidence);
      done += 1;
      deps.onProgress?.({ done, total });
    });
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
    deps.logger.error({ err: failure, runId: run.runId }, 'health check run failed');
    alerts.push({ kind: 'run_failed', message: `The health check run stopped: ${error}` });
  }

  const finishedAt = deps.clock.now().toISOString();
  await deps.store.finish({
    runId: run.runId,
    state: error ? 'failed' : 'completed',
    counts,
    error,
    now: finishedAt,
  });
  const report: RunReport = {
    runId: run.runId,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt,
    total,
    counts,
    transitions,
    adminAlerts: [...tally.alerts(), ...alerts],
  };
  try {
    await deps.onRunFinished(report);
  } catch (hookError) {
    deps.logger.error({ err: hookError, runId: run.runId }, 'health check: the run-finished hook failed');
  }
  return report;
}

/** A bug or a broken store for one association must not stop the run: it becomes a failed check. */
async function checkSafely(
  deps: CheckDeps,
  association: AssociationToCheck,
  logger: Logger,
  automation: AutomationRunPart | undefined,
): Promise<CheckOutcome> {
  try {
    // The one place the run tells the two kinds apart: an automation identity acts with its own credential.
    if (association.kind === 'service_principal') {
      if (!automation) throw new Error('an automation identity’s association, but no automation checker');
      return await automation.check(association, deps.roleDefinitions);
    }
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

function transitionOf(
  association: Checkable,
  change: { from: string | null; to: string },
  outcome: CheckOutcome,
): RunReport['transitions'][number] {
  return {
    associationId: association.id,
    // Marked only for automation identities: a consultant's transition keeps its shape.
    ...(association.kind === 'service_principal' ? { kind: 'service_principal' as const } : {}),
    consultantId: association.consultantId,
    email: association.email,
    displayName: association.displayName,
    tenantId: association.tenantId,
    tenantName: association.tenantName,
    from: change.from,
    to: change.to,
    evidence: outcome.evidence,
  };
}
