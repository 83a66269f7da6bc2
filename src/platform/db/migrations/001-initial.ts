import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The first schema: everything the foundation needs. Later capabilities add numbered migrations. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('locations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('consultants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
      .addColumn('customer_tenants', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('offboarded_at', 'text')
      .execute();

    await db.schema
      .createTable('invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('consultant_id', 'text', (c) => c.notNull().references('consultants.id'))
      .addColumn('tenant_id', 'text')
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('batch_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('reminders_sent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_sent_at', 'text')
      .execute();
    await db.schema
      .createIndex('invitations_consultant')
      .on('invitations')
      .columns(['consultant_id', 'state'])
      .execute();
    await db.schema.createIndex('invitations_batch').on('invitations').column('batch_id').execute();

    await db.schema
      .createTable('associations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('consultant_id', 'text', (c) => c.notNull().references('consultants.id'))
      .addColumn('kind', 'text', (c) => c.notNull().defaultTo('user'))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('tenant_name', 'text')
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('previous_partner_id', 'text')
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('verdict', 'text')
      .addColumn('verdict_since', 'text')
      .addColumn('last_checked_at', 'text')
      .addColumn('verdict_stale', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('evidence', 'text')
      .addUniqueConstraint('associations_consultant_tenant', ['consultant_id', 'tenant_id'])
      .execute();
    await db.schema
      .createIndex('associations_verdict')
      .on('associations')
      .columns(['status', 'verdict'])
      .execute();

    await db.schema
      .createTable('check_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('counts', 'text')
      .addColumn('error', 'text')
      .execute();

    await db.schema
      .createTable('verdicts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('check_runs.id'))
      .addColumn('association_id', 'text', (c) => c.notNull().references('associations.id'))
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('previous_verdict', 'text')
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('verdicts_run_association', ['run_id', 'association_id'])
      .execute();
    await db.schema
      .createIndex('verdicts_association')
      .on('verdicts')
      .columns(['association_id', 'checked_at'])
      .execute();

    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('text_body', 'text', (c) => c.notNull())
      .addColumn('html_body', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('invitation_id', 'text')
      .addColumn('batch_id', 'text')
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
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('detail', 'text')
      .addColumn('request_id', 'text')
      .execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'api_tokens',
      'audit_events',
      'mail_outbox',
      'verdicts',
      'check_runs',
      'associations',
      'invitations',
      'consultants',
      'locations',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
