import type { Db } from '../platform/db/connection.ts';

export interface InvitedConsultant {
  id: string;
  email: string;
  displayName: string;
  locationId: string;
  locationLabel: string;
  expectedTenantIds: string[];
  status: 'active' | 'offboarded';
}

/** What the journey reads and writes about the invited consultant. */
export function createConsultantAccess(db: Db) {
  return {
    async find(id: string): Promise<InvitedConsultant | undefined> {
      const row = await db
        .selectFrom('consultants')
        .innerJoin('locations', 'locations.id', 'consultants.location_id')
        .select([
          'consultants.id',
          'consultants.email',
          'consultants.display_name',
          'consultants.location_id',
          'locations.label',
          'consultants.customer_tenants',
          'consultants.status',
        ])
        .where('consultants.id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        email: row.email,
        displayName: row.display_name,
        locationId: row.location_id,
        locationLabel: row.label,
        expectedTenantIds: JSON.parse(row.customer_tenants) as string[],
        status: row.status,
      };
    },

    async homeAccount(id: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('consultants')
        .select('home_account_id')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.home_account_id ?? undefined;
    },

    async recordSignIn(
      id: string,
      signIn: { homeAccountId: string; username: string; at: Date },
    ): Promise<void> {
      await db
        .updateTable('consultants')
        .set({
          home_account_id: signIn.homeAccountId,
          signed_in_as: signIn.username,
          last_signed_in_at: signIn.at.toISOString(),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type ConsultantAccess = ReturnType<typeof createConsultantAccess>;
