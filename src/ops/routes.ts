import { Router } from 'express';
import type { Db } from '../platform/db/connection.ts';
import { databaseStatus } from '../platform/db/connection.ts';
import type { Metrics } from '../platform/metrics.ts';

export interface OpsDeps {
  db: Db;
  metrics: Metrics;
  /** Set while shutting down, so a load balancer stops sending traffic before the listener closes. */
  isShuttingDown: () => boolean;
}

/** Liveness, readiness and Prometheus metrics for whoever runs the service. */
export function opsRoutes(deps: OpsDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const database = await databaseStatus(deps.db);
    const ready = database.reachable && database.pendingMigrations.length === 0 && !deps.isShuttingDown();
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: {
        database: database.reachable ? 'reachable' : 'unreachable',
        migrations:
          database.pendingMigrations.length === 0 ? 'applied' : { pending: database.pendingMigrations },
        shuttingDown: deps.isShuttingDown(),
      },
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}
