import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Several instances on one database. Who checked each association and who sent each message (for
 * operators, and to see the work spread); and the schedule occurrence a scheduled run belongs to,
 * unique, so two instances that see 05:00 pass at once start one run between them. (A run's checks
 * are jobs that may run twice after a crash: one verdict per association per run was already a unique
 * constraint, so the second finds its work recorded.)
 */
export const distributedRuns: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('verdicts').addColumn('checked_by', 'text').execute();
    await db.schema.alterTable('mail_outbox').addColumn('sent_by', 'text').execute();
    await db.schema.alterTable('check_runs').addColumn('schedule_slot', 'text').execute();
    await db.schema
      .createIndex('check_runs_schedule_slot')
      .on('check_runs')
      .column('schedule_slot')
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('check_runs_schedule_slot').ifExists().execute();
    await db.schema.alterTable('check_runs').dropColumn('schedule_slot').execute();
    await db.schema.alterTable('mail_outbox').dropColumn('sent_by').execute();
    await db.schema.alterTable('verdicts').dropColumn('checked_by').execute();
  },
};
