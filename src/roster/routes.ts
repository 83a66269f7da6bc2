import { Router } from 'express';
import { auditContext } from '../admin/auth.ts';
import { validate } from '../platform/http/validate.ts';
import { createConsultantSchema, listConsultantsSchema, updateConsultantSchema } from './schemas.ts';
import type { RosterService } from './service.ts';

/** `/api/consultants`: the roster of people whose PAL links the partner manages. */
export function rosterRoutes(deps: { roster: RosterService }): Router {
  const router = Router();

  router.post('/consultants', async (req, res) => {
    const input = validate(createConsultantSchema, req.body ?? {}, 'body');
    const consultant = await deps.roster.create(input, auditContext(req, res));
    res.status(201).location(`${req.baseUrl}/consultants/${consultant.id}`).json(consultant);
  });

  router.get('/consultants', async (req, res) => {
    const query = validate(listConsultantsSchema, req.query, 'query');
    res.json(await deps.roster.list(query));
  });

  router.get('/consultants/:id', async (req, res) => {
    res.json(await deps.roster.get(req.params.id));
  });

  router.patch('/consultants/:id', async (req, res) => {
    const patch = validate(updateConsultantSchema, req.body ?? {}, 'body');
    res.json(await deps.roster.update(req.params.id, patch, auditContext(req, res)));
  });

  router.delete('/consultants/:id', async (req, res) => {
    res.json(await deps.roster.offboard(req.params.id, auditContext(req, res)));
  });

  router.post('/consultants/:id/reinstate', async (req, res) => {
    res.json(await deps.roster.reinstate(req.params.id, auditContext(req, res)));
  });

  return router;
}
