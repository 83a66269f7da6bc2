import { Router } from 'express';
import type { AuditLog } from '../../audit/service.ts';
import { type HealthDeps, startHealthRun } from '../../health/index.ts';
import type { RunViews } from '../../health/runs.ts';
import type { BulkInvitations } from '../../invitations/bulk.ts';
import { notFound } from '../../platform/errors.ts';
import { consoleAuditContext } from '../auth/guard.ts';
import type { ConsoleRenderer } from '../view.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProgressDeps {
  health: HealthDeps;
  runs: Pick<RunViews, 'get'>;
  bulk: Pick<BulkInvitations, 'progress'>;
  audit: Pick<AuditLog, 'record'>;
  render: ConsoleRenderer;
}

/**
 * Live progress of a bulk send and of a check run: a page that follows itself until done (console.js
 * polls the `/status` JSON; without script the page refreshes itself), and the JSON it polls.
 */
export function progressRoutes(deps: ProgressDeps): Router {
  const router = Router();

  const batchOf = async (id: string) => {
    const progress = GUID.test(id) ? await deps.bulk.progress(id) : undefined;
    if (!progress) throw notFound('No invitation batch with this ID');
    const finished = progress.state !== 'sending';
    return {
      finished,
      done: progress.sent + progress.failed + progress.skipped,
      total: progress.total,
      state:
        progress.state === 'sending'
          ? 'Sending'
          : progress.state === 'not_sent'
            ? 'Links issued, nothing mailed'
            : 'Done',
      figures: {
        sent: progress.sent,
        failed: progress.failed,
        skipped: progress.skipped,
        pending: progress.pending,
      },
      createdAt: progress.createdAt,
    };
  };
  const runOf = async (id: string) => {
    const run = GUID.test(id) ? await deps.runs.get(id) : undefined;
    if (!run) throw notFound('No health check run with this ID');
    return {
      finished: run.state !== 'running' && run.state !== 'queued',
      done: run.done,
      total: run.total ?? 0,
      state:
        run.state === 'running'
          ? 'Checking'
          : run.state === 'completed'
            ? 'Done'
            : run.state === 'failed'
              ? 'Failed'
              : 'Queued',
      figures: run.counts,
      error: run.error,
      createdAt: run.startedAt,
    };
  };

  router.post('/checks', async (req, res) => {
    const run = await startHealthRun(deps.health, { trigger: 'manual' });
    if (run.started) {
      await deps.audit.record({
        ...consoleAuditContext(req, res),
        action: 'health_check.started',
        subjectType: 'check_run',
        subjectId: run.runId,
      });
    }
    res.redirect(303, `/console/checks/${run.runId}`);
  });

  router.get('/checks/:id', async (req, res) => {
    const id = String(req.params.id);
    const view = await runOf(id);
    deps.render(res, 'progress', {
      title: 'Health check',
      section: 'dashboard',
      heading: 'Health check run',
      kind: 'run',
      unit: 'links checked',
      statusUrl: `/console/checks/${id}/status`,
      next: { href: '/console/findings', label: 'See the findings' },
      refreshSeconds: view.finished ? undefined : 2,
      ...view,
    });
  });
  router.get('/checks/:id/status', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await runOf(String(req.params.id)));
  });

  router.get('/batches/:id', async (req, res) => {
    const id = String(req.params.id);
    const view = await batchOf(id);
    deps.render(res, 'progress', {
      title: 'Sending invitations',
      section: 'consultants',
      heading: 'Sending invitations',
      kind: 'batch',
      unit: 'mails handled',
      statusUrl: `/console/batches/${id}/status`,
      next: { href: '/console/consultants', label: 'Back to the consultants' },
      refreshSeconds: view.finished ? undefined : 2,
      ...view,
    });
  });
  router.get('/batches/:id/status', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await batchOf(String(req.params.id)));
  });

  return router;
}
