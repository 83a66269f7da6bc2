import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { auditContext } from '../admin/auth.ts';
import type { AuditLog } from '../audit/service.ts';
import { AppError } from '../platform/errors.ts';
import { validate } from '../platform/http/validate.ts';
import type { RosterService } from '../roster/service.ts';
import type { InvitationService } from './service.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const createInvitationsBody = z
  .object({
    consultantIds: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
    all: z.boolean().optional(),
    tenantId: z.string().regex(GUID, 'must be a tenant ID (GUID)').optional(),
    send: z.boolean().default(false),
  })
  .strict()
  .refine((body) => Boolean(body.all) !== Boolean(body.consultantIds), {
    message: 'give either consultantIds or all: true',
  });

export interface InvitationRouteDeps {
  invitations: InvitationService;
  roster: Pick<RosterService, 'listForInvitation'>;
  audit: Pick<AuditLog, 'record'>;
}

/** `POST /api/invitations`: issues links; each URL is in this response once and nowhere else. */
export function invitationRoutes(deps: InvitationRouteDeps): Router {
  const router = Router();
  router.post('/invitations', async (req, res) => {
    const body = validate(createInvitationsBody, req.body);
    if (body.send) {
      throw new AppError(
        'bad_request',
        'Sending by email is not available in this version: use send: false and share the returned links',
      );
    }
    const picked = await deps.roster.listForInvitation(
      body.all ? { all: true } : { ids: body.consultantIds ?? [] },
    );
    if (picked.skipped.length > 0) {
      throw new AppError(
        'bad_request',
        `Cannot invite: ${picked.skipped
          .slice(0, 20)
          .map((s) => `${s.id} (${s.reason.replace('_', ' ')})`)
          .join(', ')}`,
        { skipped: picked.skipped },
      );
    }
    const batchId = randomUUID();
    const invitations = [];
    for (const consultant of picked.consultants) {
      const issued = await deps.invitations.issue({
        consultantId: consultant.id,
        tenantId: body.tenantId ?? null,
        batchId,
      });
      invitations.push(issued);
    }
    await deps.audit.record({
      ...auditContext(req, res),
      action: 'invitation.created',
      subjectType: 'batch',
      subjectId: batchId,
      detail: { count: invitations.length, tenantId: body.tenantId },
    });
    res.status(202).set('Cache-Control', 'no-store').json({ batchId, invitations });
  });
  router.delete('/invitations/:id', async (req, res) => {
    const id = String(req.params.id);
    const invitation = /^[0-9a-f-]{36}$/i.test(id) ? await deps.invitations.store.findById(id) : undefined;
    if (!invitation) throw new AppError('not_found', 'No invitation with this ID');
    const revoked = await deps.invitations.store.revoke(id);
    if (revoked) {
      await deps.audit.record({
        ...auditContext(req, res),
        action: 'invitation.revoked',
        subjectType: 'invitation',
        subjectId: id,
      });
    }
    res.json({ id, state: revoked ? 'revoked' : invitation.state });
  });
  return router;
}
