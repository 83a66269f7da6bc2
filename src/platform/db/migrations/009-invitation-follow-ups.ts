import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The customer tenants an open invitation still waits on (another partner's ID to decide about, a
 * customer admin's consent, a sign-in to one directory, an Azure outage): a decision about one tenant
 * must not complete the invitation while another still needs the consultant.
 */
export const invitationFollowUps: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('invitations').addColumn('open_tenants', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('invitations').dropColumn('open_tenants').execute();
  },
};
