import { Router } from 'express';
import { validate } from '../../platform/http/validate.ts';
import { auditContext } from '../auth.ts';
import { createTokenSchema } from './schemas.ts';
import type { ApiTokenService } from './service.ts';

/** `/api/tokens`: issue, list and revoke API tokens for automation. */
export function apiTokenRoutes(deps: { tokens: ApiTokenService }): Router {
  const router = Router();

  router.post('/tokens', async (req, res) => {
    const { name } = validate(createTokenSchema, req.body ?? {}, 'body');
    const created = await deps.tokens.create(name, auditContext(req, res));
    // The token is in this response and nowhere else: no cache may keep a copy.
    res.status(201).set('Cache-Control', 'no-store').json(created);
  });

  router.get('/tokens', async (_req, res) => {
    res.json({ tokens: await deps.tokens.list() });
  });

  router.delete('/tokens/:id', async (req, res) => {
    res.json({ token: await deps.tokens.revoke(req.params.id, auditContext(req, res)) });
  });

  return router;
}
