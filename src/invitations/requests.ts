import type { AuditContext, AuditLog } from '../audit/service.ts';
import type { Db } from '../platform/db/connection.ts';
import { AppError } from '../platform/errors.ts';
import type { RosterService } from '../roster/service.ts';
import type { BulkInvitations } from './bulk.ts';
import type { InvitationService, IssuedInvitation } from './service.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface InvitationRequest {
  /** These consultants, or (with `all`) everyone active who has no PAL link yet. */
  consultantIds?: string[] | undefined;
  all?: boolean | undefined;
  /** With `all`: the linked ones too. */
  includeLinked?: boolean | undefined;
  tenantId?: string | null | undefined;
  send: boolean;
}

export interface InvitationRequestDeps {
  db: Db;
  invitations: InvitationService;
  bulk: BulkInvitations;
  roster: Pick<RosterService, 'listForInvitation'>;
  audit: Pick<AuditLog, 'record'>;
}

/** What an admin asks of invitations, through the API or the console: issue (and mail) a batch, revoke one. */
export function createInvitationRequests(deps: InvitationRequestDeps) {
  return {
    /** Refuses the whole request when any named consultant is unknown or offboarded, saying which. */
    async invite(
      request: InvitationRequest,
      ctx: AuditContext,
    ): Promise<{ batchId: string; invitations: IssuedInvitation[] }> {
      const picked = await deps.roster.listForInvitation(
        request.all ? { all: true } : { ids: request.consultantIds ?? [] },
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
      const linked =
        request.all && !request.includeLinked ? await linkedConsultantIds(deps.db) : new Set<string>();
      const consultants = picked.consultants.filter((c) => !linked.has(c.id));
      const tenantId = request.tenantId ?? null;
      const batch = await deps.bulk.createBatch({
        consultants,
        tenantId,
        send: request.send,
        createdBy: ctx.actor,
      });
      await deps.audit.record({
        ...ctx,
        action: 'invitation.created',
        subjectType: 'batch',
        subjectId: batch.batchId,
        detail: { count: batch.invitations.length, tenantId: tenantId ?? undefined, send: request.send },
      });
      return batch;
    },

    /** Revokes one open invitation; its state afterwards (unchanged when it was no longer open). */
    async revoke(
      id: string,
      ctx: AuditContext,
    ): Promise<{ id: string; consultantId: string; state: string }> {
      const invitation = GUID.test(id) ? await deps.invitations.store.findById(id) : undefined;
      if (!invitation) throw new AppError('not_found', 'No invitation with this ID');
      const revoked = await deps.invitations.store.revoke(id);
      if (revoked) {
        await deps.audit.record({
          ...ctx,
          action: 'invitation.revoked',
          subjectType: 'invitation',
          subjectId: id,
        });
      }
      return { id, consultantId: invitation.consultant_id, state: revoked ? 'revoked' : invitation.state };
    },
  };
}

export type InvitationRequests = ReturnType<typeof createInvitationRequests>;

async function linkedConsultantIds(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('associations')
    .select('consultant_id')
    .where('status', '=', 'active')
    .where('consultant_id', 'is not', null)
    .distinct()
    .execute();
  return new Set(rows.flatMap((r) => (r.consultant_id === null ? [] : [r.consultant_id])));
}
