import type { Deps } from '../deps.ts';
import { startHealthRun, waitForRun } from '../health/index.ts';
import type { RunReport } from '../health/report.ts';
import { createRunViews, type RunView } from '../health/runs.ts';
import { createHealthStore } from '../health/store.ts';
import { VERDICTS } from '../pal/verdicts.ts';
import { runProgressReporter } from './progress.ts';

/**
 * `pal check`: starts a health-check run (or follows the one already going: the server's schedule, an
 * admin) with a progress bar, then prints the verdicts as a table and what changed. This process works
 * the run's checks too, beside any servers on the same database. Exit code 1 when the run failed.
 */
export async function check(deps: Deps, out: NodeJS.WritableStream): Promise<number> {
  const views = createRunViews(deps.db);
  const reporter = runProgressReporter('Checking');
  const handle = await startHealthRun(deps, { trigger: 'cli' });
  if (!handle.started) out.write(`A health check is already running (run ${handle.runId}); following it.\n`);
  const report = await follow(deps, handle.runId, reporter);
  reporter.stop();

  const run = await views.get(handle.runId);
  if (!run) throw new Error(`run ${handle.runId} disappeared`);
  out.write(summaryTable(run));
  if (report && report.transitions.length > 0) out.write(changes(report));
  for (const alert of report?.adminAlerts ?? [])
    out.write(`Admin action needed (${alert.kind}): ${alert.message}\n`);
  if (run.state === 'failed') out.write(`The run failed: ${run.error ?? 'unknown error'}\n`);
  return run.state === 'completed' ? 0 : 1;
}

/** Waits for the run to end, moving the progress bar from the database (any instance may do the work). */
async function follow(
  deps: Deps,
  runId: string,
  reporter: ReturnType<typeof runProgressReporter>,
): Promise<RunReport | undefined> {
  const store = createHealthStore(deps.db);
  const progress = setInterval(() => {
    store
      .run(runId)
      .then((run) => {
        if (run?.total != null) reporter.update(run.done, run.total);
      })
      .catch(() => undefined);
  }, 300);
  try {
    const report = await waitForRun(deps, runId);
    // A run quicker than the poll would leave the bar where it started.
    const run = await store.run(runId);
    if (run?.total != null) reporter.update(run.done, run.total);
    return report;
  } finally {
    clearInterval(progress);
  }
}

export function summaryTable(run: RunView): string {
  const rows: [string, string][] = VERDICTS.filter((v) => run.counts[v]).map((v) => [
    v,
    String(run.counts[v]),
  ]);
  rows.push(['total', String(run.total ?? 0)]);
  const width = Math.max(...rows.map(([label]) => label.length), 'verdict'.length);
  const line = (a: string, b: string) => `  ${a.padEnd(width)}  ${b.padStart(6)}\n`;
  return [
    `Health check ${run.runId} (${run.trigger}): ${run.state}\n`,
    line('verdict', 'count'),
    line('-'.repeat(width), '------'),
    ...rows.map(([a, b]) => line(a, b)),
  ].join('');
}

function changes(report: RunReport): string {
  const shown = report.transitions.slice(0, 50);
  const lines = shown.map(
    (t) => `  ${t.email}  ${t.tenantName ?? t.tenantId}: ${t.from ?? 'first check'} → ${t.to}\n`,
  );
  const more = report.transitions.length - shown.length;
  return `Changes:\n${lines.join('')}${more > 0 ? `  … and ${more} more\n` : ''}`;
}
