import { Router } from 'express';
import { parseCursor } from '../../audit/cursor.ts';
import type { AuditLog } from '../../audit/service.ts';
import type { ConsoleRenderer } from '../view.ts';

const PAGE = 50;
const ACTION = /^[a-z][a-z_]*(?:\.[a-z][a-z_]*)+$/;

/** The audit log, newest first, 50 a page, optionally one action only. */
export function auditPageRoutes(deps: { audit: Pick<AuditLog, 'list'>; render: ConsoleRenderer }): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    const before = typeof req.query.before === 'string' ? parseCursor(req.query.before) : undefined;
    const action =
      typeof req.query.action === 'string' && ACTION.test(req.query.action) ? req.query.action : undefined;
    const page = await deps.audit.list({ limit: PAGE, before, action });
    const older = page.next
      ? `/console/audit?${new URLSearchParams({ ...(action ? { action } : {}), before: page.next })}`
      : undefined;
    deps.render(res, 'audit', {
      title: 'Audit log',
      section: 'audit',
      events: page.events.map((event) => ({
        ...event,
        detailText: event.detail ? JSON.stringify(event.detail) : '',
      })),
      action: action ?? '',
      olderHref: older,
      isFirstPage: !before,
    });
  });

  return router;
}
