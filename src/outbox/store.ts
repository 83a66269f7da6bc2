import { sql } from 'kysely';
import type { Db } from '../platform/db/connection.ts';
import type { NewRow, Row, RowUpdate } from '../platform/db/tables.ts';

export type OutboxRow = Row<'mail_outbox'>;
export type NewOutboxRow = Omit<
  NewRow<'mail_outbox'>,
  'state' | 'attempts' | 'next_attempt_at' | 'created_at'
>;

/** What became of one claimed message: accepted by the server, to be tried again, or given up on. */
export type Outcome =
  | { id: string; state: 'sent'; providerMessageId: string; at: Date }
  | { id: string; state: 'queued'; error: string; nextAttemptAt: Date }
  | { id: string; state: 'failed' | 'skipped'; reason: string };

function changesFor(outcome: Outcome): RowUpdate<'mail_outbox'> {
  switch (outcome.state) {
    case 'sent':
      return {
        state: 'sent',
        sent_at: outcome.at.toISOString(),
        provider_message_id: outcome.providerMessageId,
        last_error: null,
      };
    case 'queued':
      return {
        state: 'queued',
        next_attempt_at: outcome.nextAttemptAt.toISOString(),
        last_error: outcome.error,
      };
    default:
      return { state: outcome.state, last_error: outcome.reason };
  }
}

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
            rows.slice(i, i + 200).map((row) => ({
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

    /**
     * Takes up to `limit` due messages for this sender, those whose sender's claim expired first. Two
     * index searches rather than one `or`: with the `or`, SQLite sorted every due row on each claim,
     * which made a large batch quadratic.
     */
    async claim(workerId: string, limit: number, now: Date, claimMs: number): Promise<OutboxRow[]> {
      const at = now.toISOString();
      const expired = db
        .selectFrom('mail_outbox')
        .select('id')
        .where('state', '=', 'sending')
        .where('claim_expires_at', '<=', at);
      const queued = db
        .selectFrom('mail_outbox')
        .select('id')
        .where('state', '=', 'queued')
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .limit(limit);
      const due = db
        .selectFrom(expired.unionAll(db.selectFrom(queued.as('queued')).select('queued.id')).as('due'))
        .select('due.id')
        .limit(limit);
      return (
        db
          .updateTable('mail_outbox')
          .set({
            state: 'sending',
            claimed_by: workerId,
            claim_expires_at: new Date(now.getTime() + claimMs).toISOString(),
            attempts: sql`attempts + 1`,
          })
          .where('id', 'in', due)
          // Checked again on the row itself: on PostgreSQL a concurrent sender may have claimed it between
          // the subquery and this update; the re-check (after its lock is released) then leaves it alone.
          .where((eb) =>
            eb.or([
              eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', at)]),
              eb.and([eb('state', '=', 'sending'), eb('claim_expires_at', '<=', at)]),
            ]),
          )
          .returningAll()
          .execute()
      );
    },

    /**
     * Writes what became of messages this sender claimed, all in one transaction: one commit for many
     * messages instead of one each. Only rows still claimed by this sender change; a claim that
     * expired and was taken over belongs to the new sender.
     */
    async record(workerId: string, outcomes: Outcome[]): Promise<void> {
      if (outcomes.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const outcome of outcomes) {
          await trx
            .updateTable('mail_outbox')
            .set({
              ...changesFor(outcome),
              ...(outcome.state === 'sent' ? { sent_by: workerId } : {}),
              claimed_by: null,
              claim_expires_at: null,
            })
            .where('id', '=', outcome.id)
            .where('claimed_by', '=', workerId)
            .execute();
        }
      });
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
