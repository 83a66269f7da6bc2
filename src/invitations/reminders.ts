import { randomUUID } from 'node:crypto';
import type { OutboxStore } from '../outbox/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/connection.ts';

const DAY_MS = 86_400_000;

export interface ReminderPolicy {
  /** Days after the last mail before a reminder; 0 turns reminders off. */
  afterDays: number;
  /** Reminders per invitation at most. */
  max: number;
}

/**
 * Queues a reminder for every open, unexpired invitation that was mailed, has not been completed, and
 * whose last mail is older than the policy allows — at most `max` times each. Returns the batch made.
 */
export async function queueDueReminders(
  deps: { db: Db; clock: Clock; outbox: OutboxStore; wake: () => void },
  policy: ReminderPolicy,
): Promise<{ batchId: string | null; count: number }> {
  if (policy.afterDays <= 0 || policy.max <= 0) return { batchId: null, count: 0 };
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - policy.afterDays * DAY_MS).toISOString();
  const due = await deps.db
    .selectFrom('invitations')
    .innerJoin('consultants', 'consultants.id', 'invitations.consultant_id')
    .select(['invitations.id', 'invitations.consultant_id', 'consultants.email'])
    .where('invitations.state', '=', 'open')
    .where('invitations.expires_at', '>', now.toISOString())
    .where('invitations.last_sent_at', 'is not', null)
    .where('invitations.last_sent_at', '<=', cutoff)
    .where('invitations.reminders_sent', '<', policy.max)
    .where('consultants.status', '=', 'active')
    .execute();
  if (due.length === 0) return { batchId: null, count: 0 };

  const batchId = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('batches')
      .values({
        id: batchId,
        kind: 'reminder',
        created_by: 'scheduler',
        created_at: now.toISOString(),
        total: due.length,
        tenant_id: null,
      })
      .execute();
    await deps.outbox.enqueue(
      due.map((invitation) => ({
        id: randomUUID(),
        kind: 'reminder',
        to_address: invitation.email,
        consultant_id: invitation.consultant_id,
        invitation_id: invitation.id,
        batch_id: batchId,
      })),
      now,
      trx,
    );
    for (let i = 0; i < due.length; i += 500) {
      await trx
        .updateTable('invitations')
        .set((eb) => ({ reminders_sent: eb('reminders_sent', '+', 1), last_sent_at: now.toISOString() }))
        .where(
          'id',
          'in',
          due.slice(i, i + 500).map((d) => d.id),
        )
        .execute();
    }
  });
  deps.wake();
  return { batchId, count: due.length };
}
