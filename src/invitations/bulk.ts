import { randomUUID } from 'node:crypto';
import type { OutboxStore } from '../outbox/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/connection.ts';
import type { InvitationService, IssuedInvitation } from './service.ts';

export interface BulkDeps {
  db: Db;
  clock: Clock;
  invitations: InvitationService;
  outbox: OutboxStore;
  /** Tells the outbox sender there is work (no-op when no sender runs in this process). */
  wake: () => void;
}

export interface BatchRequest {
  consultants: { id: string; email: string }[];
  tenantId: string | null;
  send: boolean;
  createdBy: string;
}

/** Rows per transaction: large enough to be fast, small enough not to hold the writer for long. */
const CHUNK = 250;

/**
 * Issues one invitation per consultant and, when sending, queues its mail in the same transaction: a
 * crash leaves either both or neither, so no consultant ends up with a link nobody will mail.
 */
export function createBulkInvitations(deps: BulkDeps) {
  return {
    async createBatch(request: BatchRequest): Promise<{ batchId: string; invitations: IssuedInvitation[] }> {
      const batchId = randomUUID();
      const now = deps.clock.now();
      await deps.db
        .insertInto('batches')
        .values({
          id: batchId,
          kind: 'invitation',
          created_by: request.createdBy,
          created_at: now.toISOString(),
          total: request.consultants.length,
          tenant_id: request.tenantId,
        })
        .execute();
      const issued: IssuedInvitation[] = [];
      for (let i = 0; i < request.consultants.length; i += CHUNK) {
        const chunk = request.consultants.slice(i, i + CHUNK);
        await deps.db.transaction().execute(async (trx) => {
          const invitations = await deps.invitations.issueMany(
            chunk.map((consultant) => ({ consultantId: consultant.id, tenantId: request.tenantId, batchId })),
            trx,
          );
          issued.push(...invitations);
          const mails = request.send
            ? chunk.map((consultant, index) => ({
                id: randomUUID(),
                kind: 'invitation',
                to_address: consultant.email,
                consultant_id: consultant.id,
                invitation_id: invitations[index]!.id,
                batch_id: batchId,
              }))
            : [];
          if (mails.length > 0) {
            await deps.outbox.enqueue(mails, now, trx);
            // By primary key alone: adding the batch made SQLite scan the whole batch so far for every
            // chunk, which made large batches quadratic.
            await trx
              .updateTable('invitations')
              .set({ last_sent_at: now.toISOString() })
              .where(
                'id',
                'in',
                mails.map((m) => m.invitation_id),
              )
              .execute();
          }
        });
      }
      if (request.send) deps.wake();
      return { batchId, invitations: issued };
    },

    async progress(batchId: string) {
      const batch = await deps.db
        .selectFrom('batches')
        .selectAll()
        .where('id', '=', batchId)
        .executeTakeFirst();
      if (!batch) return undefined;
      const counts = await deps.outbox.progress(batchId);
      const queued = counts.sent + counts.failed + counts.skipped + counts.pending;
      return {
        id: batch.id,
        kind: batch.kind,
        createdAt: batch.created_at,
        total: batch.total,
        ...counts,
        // A batch created without sending has nothing queued: it is done as soon as it exists.
        state: counts.pending > 0 ? 'sending' : queued === 0 ? 'not_sent' : 'done',
      };
    },
  };
}

export type BulkInvitations = ReturnType<typeof createBulkInvitations>;
