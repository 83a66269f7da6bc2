import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Automation identities (service principals, managed identities) and their PAL associations. An
 * association now belongs either to a consultant or to an automation identity — exactly one of the
 * two, which a check constraint holds — so `consultant_id` loses its NOT NULL.
 *
 * PostgreSQL alters the column in place. SQLite cannot drop a NOT NULL, so the table is rebuilt
 * (SQLite's documented procedure: foreign keys off, copy into a new table, swap, check, foreign keys
 * on). Kysely runs SQLite migrations outside a transaction, which is what makes the pragma possible.
 */
export const automationIdentities: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('automation_identities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      // secret (sealed below) | secret_env | certificate | managed_identity
      .addColumn('credential_kind', 'text', (c) => c.notNull())
      .addColumn('secret_key_id', 'text')
      .addColumn('secret_data', 'text')
      .addColumn('secret_env', 'text')
      .addColumn('certificate_path', 'text')
      // 1: the partner's own identity in its own tenant, acting in customers' tenants through Lighthouse.
      .addColumn('lighthouse', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id'))
      .addColumn('object_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('automation_identities_tenant_client', ['tenant_id', 'client_id'])
      .execute();

    if (isSqlite(db)) {
      await rebuildAssociations(db, { withAutomation: true });
    } else {
      await sql`alter table associations alter column consultant_id drop not null`.execute(db);
      await db.schema
        .alterTable('associations')
        .addColumn('automation_identity_id', 'text', (c) => c.references('automation_identities.id'))
        .execute();
      await sql`alter table associations add constraint associations_one_owner check ((consultant_id is null) <> (automation_identity_id is null))`.execute(
        db,
      );
    }
    await db.schema
      .createIndex('associations_identity_tenant')
      .on('associations')
      .columns(['automation_identity_id', 'tenant_id'])
      .unique()
      .execute();
  },

  async down(db: Kysely<unknown>) {
    // Automation identities' history goes with them: consultants' rows are what the older schema holds.
    const owned = sql`(select id from associations where automation_identity_id is not null)`;
    await sql`delete from finding_acknowledgements where association_id in ${owned}`.execute(db);
    await sql`delete from verdicts where association_id in ${owned}`.execute(db);
    await sql`delete from associations where automation_identity_id is not null`.execute(db);
    await db.schema.dropIndex('associations_identity_tenant').ifExists().execute();
    if (isSqlite(db)) {
      await rebuildAssociations(db, { withAutomation: false });
    } else {
      await sql`alter table associations drop constraint associations_one_owner`.execute(db);
      await db.schema.alterTable('associations').dropColumn('automation_identity_id').execute();
      await sql`alter table associations alter column consultant_id set not null`.execute(db);
    }
    await db.schema.dropTable('automation_identities').ifExists().execute();
  },
};

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

const COMMON_COLUMNS = [
  'id',
  'consultant_id',
  'kind',
  'tenant_id',
  'tenant_name',
  'object_id',
  'partner_id',
  'previous_partner_id',
  'linked_at',
  'status',
  'verdict',
  'verdict_since',
  'last_checked_at',
  'verdict_stale',
  'evidence',
];

/** SQLite's table rebuild, in one transaction with foreign keys off, checked before commit. */
async function rebuildAssociations(db: Kysely<unknown>, options: { withAutomation: boolean }) {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      let table = db.schema
        .createTable('associations_rebuilt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consultant_id', 'text', (c) =>
          options.withAutomation ? c.references('consultants.id') : c.notNull().references('consultants.id'),
        )
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
        .addUniqueConstraint('associations_consultant_tenant', ['consultant_id', 'tenant_id']);
      if (options.withAutomation) {
        table = table
          .addColumn('automation_identity_id', 'text', (c) => c.references('automation_identities.id'))
          .addCheckConstraint(
            'associations_one_owner',
            sql`(consultant_id is null) <> (automation_identity_id is null)`,
          );
      }
      await table.execute();
      const columns = sql.join(COMMON_COLUMNS.map((c) => sql.ref(c)));
      await sql`insert into associations_rebuilt (${columns}) select ${columns} from associations`.execute(
        db,
      );
      await sql`drop table associations`.execute(db);
      await sql`alter table associations_rebuilt rename to associations`.execute(db);
      await db.schema
        .createIndex('associations_verdict')
        .on('associations')
        .columns(['status', 'verdict'])
        .execute();
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error('rebuilding associations broke a foreign key');
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
