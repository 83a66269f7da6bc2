import { Router } from 'express';
import { z } from 'zod';
import { auditContext } from '../admin/auth.ts';
import type { AuditLog } from '../audit/service.ts';
import type { Db } from '../platform/db/connection.ts';
import { AppError } from '../platform/errors.ts';
import { validate } from '../platform/http/validate.ts';
import type { RosterService } from '../roster/service.ts';
import type { BulkInvitations } from './bulk.ts';
import type { InvitationService } from './service.ts';

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
  db: Db;
  invitations: InvitationService;
  bulk: BulkInvitations;
  roster: Pick<RosterService, 'listForInvitation'>;
  audit: Pick<AuditLog, 'record'>;
}

/**
 * `POST /api/invitations` issues links (and with `send: true` queues one mail each); each URL is in the
 * response once and nowhere else. `GET /api/batches/{id}` follows the sending.
 */
export function invitationRoutes(deps: InvitationRouteDeps): Router {
  const router = Router();

  router.post('/invitations', async (req, res) => {
    const body = validate(createInvitationsBody, req.body);
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
    const linked = body.all && !body.includeLinked ? await linkedConsultantIds(deps.db) : new Set<string>();
    const consultants = picked.consultants.filter((c) => !linked.has(c.id));
    const context = auditContext(req, res);
    const { batchId, invitations } = await deps.bulk.createBatch({
      consultants,
      tenantId: body.tenantId ?? null,
      send: body.send,
      createdBy: context.actor,
    });
    await deps.audit.record({
      ...context,
      action: 'invitation.created',
      subjectType: 'batch',
      subjectId: batchId,
      detail: { count: invitations.length, tenantId: body.tenantId, send: body.send },
    });
    res.status(202).set('Cache-Control', 'no-store').json({ batchId, invitations });
  });

  router.get('/batches/:id', async (req, res) => {
    const id = String(req.params.id);
    const progress = GUID.test(id) ? await deps.bulk.progress(id) : undefined;
    if (!progress) throw new AppError('not_found', 'No batch with this ID');
    res.json(progress);
  });

  router.delete('/invitations/:id', async (req, res) => {
    const id = String(req.params.id);
    const invitation = GUID.test(id) ? await deps.invitations.store.findById(id) : undefined;
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

async function linkedConsultantIds(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('associations')
    .select('consultant_id')
    .where('status', '=', 'active')
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.consultant_id));
}
