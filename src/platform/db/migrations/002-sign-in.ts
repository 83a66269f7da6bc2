import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** What the consultant sign-in needs: who signed in, their encrypted token cache, and sign-in attempts. */
export const signIn: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('consultants').addColumn('home_account_id', 'text').execute();
    await db.schema.alterTable('consultants').addColumn('signed_in_as', 'text').execute();
    await db.schema.alterTable('consultants').addColumn('last_signed_in_at', 'text').execute();

    await db.schema
      .createTable('token_caches')
      .addColumn('account_key', 'text', (c) => c.primaryKey())
      .addColumn('consultant_id', 'text', (c) => c.notNull().references('consultants.id'))
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('auth_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('state_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invitation_id', 'text', (c) => c.notNull().references('invitations.id'))
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('authority', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('auth_attempts').ifExists().execute();
    await db.schema.dropTable('token_caches').ifExists().execute();
    await db.schema.alterTable('consultants').dropColumn('last_signed_in_at').execute();
    await db.schema.alterTable('consultants').dropColumn('signed_in_as').execute();
    await db.schema.alterTable('consultants').dropColumn('home_account_id').execute();
  },
};
