import { createAlertTally } from './alerts.ts';
import type { Evidence } from './check-association.ts';
import type { RunReport } from './report.ts';
import { transitionOf } from './settle.ts';
import { type HealthStore, parseJson } from './store.ts';

/**
 * A run's report, read back from its verdict rows: the checks were spread over jobs and instances, so
 * no single process saw them all. Transitions come from each row's previous and new verdict; admin
 * alerts are tallied from the evidence that asks for an admin.
 */
export async function readRunReport(
  store: HealthStore,
  runId: string,
  extraAlerts: RunReport['adminAlerts'] = [],
): Promise<RunReport | undefined> {
  const run = await store.run(runId);
  if (!run) return undefined;
  const rows = await store.reportRows(runId);
  const tally = createAlertTally();
  const transitions: RunReport['transitions'] = [];
  for (const row of rows) {
    const evidence = (parseJson(row.evidence) ?? {}) as Evidence;
    tally.note(row.tenant_id, evidence);
    const change = transitionOf(row.previous_verdict, row.verdict);
    if (!change) continue;
    transitions.push({
      associationId: row.association_id,
      // Marked only for automation identities: a consultant's transition keeps its shape.
      ...(row.kind === 'service_principal' ? { kind: 'service_principal' as const } : {}),
      consultantId: row.whoId,
      email: row.email,
      displayName: row.displayName,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      ...change,
      evidence,
    });
  }
  const counts = (parseJson(run.counts) as Record<string, number> | null) ?? (await store.countsOf(runId));
  return {
    runId,
    trigger: run.trigger,
    startedAt: run.started_at ?? run.created_at,
    finishedAt: run.finished_at ?? run.heartbeat_at ?? run.created_at,
    total: run.total ?? rows.length,
    counts,
    transitions,
    adminAlerts: [...tally.alerts(), ...extraAlerts],
  };
}
