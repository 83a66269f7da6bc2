import { Router } from 'express';
import type { RunViews } from '../../health/runs.ts';
import { nextRunAt } from '../../health/schedule.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ConsoleRenderer } from '../view.ts';
import { trendChart } from './chart.ts';
import type { Coverage } from './coverage.ts';

/** Runs in the trend chart: three weeks of a daily schedule. */
const TREND_RUNS = 21;

export interface DashboardDeps {
  coverage: Coverage;
  runs: Pick<RunViews, 'recent'>;
  clock: Clock;
  schedule: string;
  render: ConsoleRenderer;
}

/** The console's home: coverage of the roster, findings by verdict, the trend, the last and next run. */
export function dashboardRoutes(deps: DashboardDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const [summary, trend, [lastRun]] = await Promise.all([
      deps.coverage.summary(),
      deps.coverage.trend(TREND_RUNS),
      deps.runs.recent(1),
    ]);
    const next = nextRunAt(deps.schedule, deps.clock.now());
    const findings = summary.byVerdict.filter((v) => v.verdict !== 'healthy' && v.verdict !== 'unchecked');
    deps.render(res, 'dashboard', {
      title: 'Dashboard',
      section: 'dashboard',
      summary,
      findingCount: findings.reduce((sum, v) => sum + v.count, 0),
      chart: trendChart(trend),
      trend,
      lastRun,
      nextRun: next?.toISOString() ?? null,
      schedule: deps.schedule,
      coveragePercent:
        summary.consultants === 0 ? 0 : Math.round((summary.linked / summary.consultants) * 100),
    });
  });

  return router;
}
