import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Rate-limit counts shared by every instance on one PostgreSQL database (platform/http/rate-limit.ts):
 * a row per limiter and client address, with the end of its window. SQLite installations (one
 * instance) count in memory and leave the table empty.
 */
export const rateLimits: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addColumn('reset_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_reset_at').on('rate_limits').column('reset_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('rate_limits').ifExists().execute();
  },
};
