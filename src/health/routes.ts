import { Router } from 'express';
import { z } from 'zod';
import { auditContext } from '../admin/auth.ts';
import type { AuditLog } from '../audit/service.ts';
import { notFound } from '../platform/errors.ts';
import { validate } from '../platform/http/validate.ts';
import { type HealthDeps, startHealthRun } from './index.ts';
import { createRunViews } from './runs.ts';

export const listRunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Most recent first' }),
});
const runIdParam = z.uuid({ error: 'must be a run ID (UUID)' });

/**
 * `POST /api/health-checks` starts a run in the background of this server (or names the one already
 * running); `GET /api/health-checks[/{runId}]` follows runs and lists recent ones.
 */
export function healthRoutes(deps: HealthDeps & { audit: Pick<AuditLog, 'record'> }): Router {
  const router = Router();
  const views = createRunViews(deps.db);

  router.post('/health-checks', async (req, res) => {
    const run = await startHealthRun(deps, { trigger: 'manual' });
    if (run.started) {
      await deps.audit.record({
        ...auditContext(req, res),
        action: 'health_check.started',
        subjectType: 'check_run',
        subjectId: run.runId,
      });
    }
    res.status(202).json({ runId: run.runId, started: run.started });
  });

  router.get('/health-checks', async (req, res) => {
    const query = validate(listRunsQuery, req.query, 'query');
    res.json(await views.recent(query.limit));
  });

  router.get('/health-checks/:runId', async (req, res) => {
    const runId = validate(runIdParam, req.params.runId, 'runId');
    const run = await views.get(runId);
    if (!run) throw notFound(`No health check run ${runId}`);
    res.json(run);
  });

  return router;
}
