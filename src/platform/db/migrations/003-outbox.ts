import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The durable outbox as bulk sending needs it. Messages that carry an invitation link are rendered at
 * send time from the invitation (its token is derived, never stored), so their bodies are not kept; a
 * claim with an expiry lets a crashed sender's messages be picked up again. The table held nothing yet.
 */
export const outbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropTable('mail_outbox').ifExists().execute();
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('consultant_id', 'text')
      .addColumn('invitation_id', 'text')
      .addColumn('batch_id', 'text')
      .addColumn('subject', 'text')
      .addColumn('text_body', 'text')
      .addColumn('html_body', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claim_expires_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('provider_message_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema
      .createIndex('mail_outbox_due')
      .on('mail_outbox')
      .columns(['state', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('mail_outbox_batch')
      .on('mail_outbox')
      .columns(['batch_id', 'state'])
      .execute();
    await db.schema.createIndex('mail_outbox_invitation').on('mail_outbox').column('invitation_id').execute();

    await db.schema
      .createTable('batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('tenant_id', 'text')
      .execute();

    // Which server key the invitation's link token was derived with (not secret; lets keys rotate).
    await db.schema.alterTable('invitations').addColumn('token_key_id', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('invitations').dropColumn('token_key_id').execute();
    await db.schema.dropTable('batches').ifExists().execute();
    await db.schema.dropTable('mail_outbox').ifExists().execute();
  },
};
