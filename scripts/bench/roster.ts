import type { Db } from '../../src/platform/db/connection.ts';

/**
 * A roster for the send benchmarks and the reliability scenarios, inserted directly (not timed, not
 * what is measured): one active consultant per address, IDs `c-000000`…, 500 rows a statement.
 */
export async function insertRoster(
  db: Db,
  emails: readonly string[],
  locationId: string,
): Promise<{ id: string; email: string }[]> {
  const now = new Date().toISOString();
  const consultants = emails.map((email, i) => ({ id: `c-${String(i).padStart(6, '0')}`, email }));
  for (let i = 0; i < consultants.length; i += 500) {
    await db
      .insertInto('consultants')
      .values(
        consultants.slice(i, i + 500).map((c, j) => ({
          ...c,
          display_name: `Consultant ${i + j}`,
          location_id: locationId,
          customer_tenants: '[]',
          status: 'active' as const,
          created_at: now,
          updated_at: now,
          offboarded_at: null,
        })),
      )
      .execute();
  }
  return consultants;
}
