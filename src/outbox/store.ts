import { sql } from 'kysely';
import type { Db } from '../platform/db/connection.ts';
import type { NewRow, Row } from '../platform/db/tables.ts';

export type OutboxRow = Row<'mail_outbox'>;
export type NewOutboxRow = Omit<
  NewRow<'mail_outbox'>,
  'state' | 'attempts' | 'next_attempt_at' | 'created_at'
>;

/**
 * The durable outbox. Every message is a row: queued → sending (claimed, with an expiry) → sent, or
 * back to queued for a later attempt, or failed / skipped with the reason. Claims are one statement, so
 * two senders never hold the same message; a sender that dies leaves claims that simply expire.
 */
export function createOutboxStore(db: Db) {
  return {
    async enqueue(rows: NewOutboxRow[], now: Date, executor: Db = db): Promise<void> {
      const at = now.toISOString();
      // SQLite limits bound parameters per statement: insert in slices.
      for (let i = 0; i < rows.length; i += 200) {
        await executor
          .insertInto('mail_outbox')
          .values(
            rows
              .slice(i, i + 200)
              .map((row) => ({
                ...row,
                state: 'queued' as const,
                attempts: 0,
                next_attempt_at: at,
                created_at: at,
              })),
          )
          .execute();
      }
    },

    /** Takes up to `limit` due messages (and any whose sender's claim expired) for this sender. */
    async claim(workerId: string, limit: number, now: Date, claimMs: number): Promise<OutboxRow[]> {
      const at = now.toISOString();
      const due = db
        .selectFrom('mail_outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', at)]),
            eb.and([eb('state', '=', 'sending'), eb('claim_expires_at', '<=', at)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit);
      return db
        .updateTable('mail_outbox')
        .set({
          state: 'sending',
          claimed_by: workerId,
          claim_expires_at: new Date(now.getTime() + claimMs).toISOString(),
          attempts: sql`attempts + 1`,
        })
        .where('id', 'in', due)
        .returningAll()
        .execute();
    },

    async markSent(id: string, workerId: string, providerMessageId: string, now: Date): Promise<void> {
      await db
        .updateTable('mail_outbox')
        .set({
          state: 'sent',
          sent_at: now.toISOString(),
          provider_message_id: providerMessageId,
          claimed_by: null,
          claim_expires_at: null,
          last_error: null,
        })
        .where('id', '=', id)
        .where('claimed_by', '=', workerId)
        .execute();
    },

    async markRetry(id: string, workerId: string, error: string, nextAttemptAt: Date): Promise<void> {
      await db
        .updateTable('mail_outbox')
        .set({
          state: 'queued',
          next_attempt_at: nextAttemptAt.toISOString(),
          last_error: error,
          claimed_by: null,
          claim_expires_at: null,
        })
        .where('id', '=', id)
        .where('claimed_by', '=', workerId)
        .execute();
    },

    async markFinal(
      id: string,
      workerId: string,
      state: 'failed' | 'skipped',
      reason: string,
    ): Promise<void> {
      await db
        .updateTable('mail_outbox')
        .set({ state, last_error: reason, claimed_by: null, claim_expires_at: null })
        .where('id', '=', id)
        .where('claimed_by', '=', workerId)
        .execute();
    },

    /** Counts by state for one batch. */
    async progress(batchId: string) {
      const rows = await db
        .selectFrom('mail_outbox')
        .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
        .where('batch_id', '=', batchId)
        .groupBy('state')
        .execute();
      const count = (state: string) => Number(rows.find((r) => r.state === state)?.count ?? 0);
      return {
        sent: count('sent'),
        failed: count('failed'),
        skipped: count('skipped'),
        pending: count('queued') + count('sending'),
      };
    },

    /** Whether anything is due now or waiting for a later attempt (the CLI waits for this to reach 0). */
    async pendingCount(batchId?: string): Promise<number> {
      let query = db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('state', 'in', ['queued', 'sending']);
      if (batchId) query = query.where('batch_id', '=', batchId);
      return Number((await query.executeTakeFirst())?.count ?? 0);
    },

    async latestForInvitations(invitationIds: string[]) {
      if (invitationIds.length === 0) return [];
      return db
        .selectFrom('mail_outbox')
        .select(['invitation_id', 'kind', 'state', 'attempts', 'last_error', 'sent_at', 'created_at'])
        .where('invitation_id', 'in', invitationIds)
        .orderBy('created_at', 'desc')
        .execute();
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
