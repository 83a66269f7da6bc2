import { Router } from 'express';
import { auditContext } from '../admin/auth.ts';
import { validate } from '../platform/http/validate.ts';
import { credentialBodySchema, linkBodySchema, registerSchema } from './schemas.ts';
import type { AutomationService } from './service.ts';

/**
 * `/api/automation-identities`: register a service principal or managed identity (and link it at
 * once), list, read, replace the credential, link again, remove. Link failures (an expired secret, an
 * app missing from the tenant) are answers in the body with a verdict and a message, not errors.
 */
export function automationRoutes(deps: { automation: AutomationService }): Router {
  const router = Router();

  router.get('/automation-identities', async (_req, res) => {
    res.json({ identities: await deps.automation.list() });
  });

  router.post('/automation-identities', async (req, res) => {
    const input = validate(registerSchema, req.body ?? {}, 'body');
    const outcome = await deps.automation.register(input, auditContext(req, res));
    res.status(201).set('Cache-Control', 'no-store').json({ identity: outcome.identity, link: outcome.link });
  });

  router.get('/automation-identities/:id', async (req, res) => {
    res.json(await deps.automation.get(String(req.params.id)));
  });

  router.put('/automation-identities/:id/credential', async (req, res) => {
    const input = validate(credentialBodySchema, req.body ?? {}, 'body');
    res.json(await deps.automation.replaceCredential(String(req.params.id), input, auditContext(req, res)));
  });

  router.post('/automation-identities/:id/link', async (req, res) => {
    const input = validate(linkBodySchema, req.body ?? {}, 'body');
    res.json(await deps.automation.link(String(req.params.id), input, auditContext(req, res)));
  });

  router.delete('/automation-identities/:id', async (req, res) => {
    await deps.automation.remove(String(req.params.id), auditContext(req, res));
    res.status(204).end();
  });

  return router;
}
