import { Router } from 'express';
import { z } from 'zod';
import { auditContext } from '../admin/auth.ts';
import { AppError } from '../platform/errors.ts';
import { validate } from '../platform/http/validate.ts';
import type { BulkInvitations } from './bulk.ts';
import type { InvitationRequests } from './requests.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const createInvitationsBody = z
  .object({
    consultantIds: z.array(z.string().min(1).max(100)).min(1).max(50_000).optional(),
    /** Everyone active who has no PAL link yet (or everyone active, with includeLinked). */
    all: z.boolean().optional(),
    includeLinked: z.boolean().default(false),
    tenantId: z.string().regex(GUID, 'must be a tenant ID (GUID)').optional(),
    send: z.boolean().default(false),
  })
  .strict()
  .refine((body) => Boolean(body.all) !== Boolean(body.consultantIds), {
    message: 'give either consultantIds or all: true',
  });

export interface InvitationRouteDeps {
  requests: InvitationRequests;
  bulk: BulkInvitations;
}

/**
 * `POST /api/invitations` issues links (and with `send: true` queues one mail each); each URL is in the
 * response once and nowhere else. `GET /api/batches/{id}` follows the sending.
 */
export function invitationRoutes(deps: InvitationRouteDeps): Router {
  const router = Router();

  router.post('/invitations', async (req, res) => {
    const body = validate(createInvitationsBody, req.body);
    const { batchId, invitations } = await deps.requests.invite(body, auditContext(req, res));
    res.status(202).set('Cache-Control', 'no-store').json({ batchId, invitations });
  });

  router.get('/batches/:id', async (req, res) => {
    const id = String(req.params.id);
    const progress = GUID.test(id) ? await deps.bulk.progress(id) : undefined;
    if (!progress) throw new AppError('not_found', 'No batch with this ID');
    res.json(progress);
  });

  router.delete('/invitations/:id', async (req, res) => {
    const { id, state } = await deps.requests.revoke(String(req.params.id), auditContext(req, res));
    res.json({ id, state });
  });

  return router;
}
