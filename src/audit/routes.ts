import { Router } from 'express';
import { validate } from '../platform/http/validate.ts';
import { auditQuerySchema } from './schemas.ts';
import type { AuditLog } from './service.ts';

/** `/api/audit`: who did what, newest first. */
export function auditRoutes(deps: { audit: AuditLog }): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    const query = validate(auditQuerySchema, req.query, 'query');
    res.json(await deps.audit.list(query));
  });

  return router;
}
