import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What the scheduled health check needs of `check_runs`: progress (done of total) and a heartbeat, so a
 * run left `running` by a dead process can be told from a live one; and a partial unique index that
 * lets the database itself refuse a second running run, whichever process (server, CLI, another
 * instance) tries to start it.
 */
export const healthRuns: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('check_runs').addColumn('total', 'integer').execute();
    await db.schema
      .alterTable('check_runs')
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('check_runs').addColumn('heartbeat_at', 'text').execute();
    await db.schema
      .createIndex('check_runs_one_running')
      .on('check_runs')
      .column('state')
      .unique()
      .where(sql.ref('state'), '=', 'running')
      .execute();
    await db.schema.createIndex('check_runs_created').on('check_runs').column('created_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('check_runs_created').ifExists().execute();
    await db.schema.dropIndex('check_runs_one_running').ifExists().execute();
    await db.schema.alterTable('check_runs').dropColumn('heartbeat_at').execute();
    await db.schema.alterTable('check_runs').dropColumn('done').execute();
    await db.schema.alterTable('check_runs').dropColumn('total').execute();
  },
};
