import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What the admin console needs: its sign-in attempts (state, PKCE and nonce bound to the browser), its
 * sessions (only a hash of the session ID is stored) and acknowledgements of findings.
 */
export const consoleSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('console_sign_ins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('state_hash', 'text', (c) => c.notNull().unique())
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text', (c) => c.notNull())
      .addColumn('return_to', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('console_sign_ins_expires')
      .on('console_sign_ins')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('allowed_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_sessions_expires')
      .on('console_sessions')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('finding_acknowledgements')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('association_id', 'text', (c) => c.notNull().references('associations.id'))
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('verdict_since', 'text')
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('acknowledged_by', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('finding_acknowledgements_association')
      .on('finding_acknowledgements')
      .columns(['association_id', 'acknowledged_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('finding_acknowledgements').ifExists().execute();
    await db.schema.dropTable('console_sessions').ifExists().execute();
    await db.schema.dropTable('console_sign_ins').ifExists().execute();
  },
};
