import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/connection.ts';

export interface LinkRecord {
  consultantId: string;
  tenantId: string;
  tenantName: string | undefined;
  objectId: string;
  partnerId: string;
  previousPartnerId: string | null;
  at: Date;
}

/** The association table: one row per consultant × customer tenant, updated in place on every link. */
export function createAssociationStore(db: Db) {
  return {
    async recordLink(link: LinkRecord): Promise<void> {
      // A consultant has one row per tenant: a new link there overwrites the last one in place.
      const current = {
        tenant_name: link.tenantName ?? null,
        object_id: link.objectId,
        partner_id: link.partnerId,
        previous_partner_id: link.previousPartnerId,
        linked_at: link.at.toISOString(),
        status: 'active' as const,
      };
      await db
        .insertInto('associations')
        .values({
          id: randomUUID(),
          consultant_id: link.consultantId,
          kind: 'user',
          tenant_id: link.tenantId.toLowerCase(),
          ...current,
        })
        .onConflict((oc) => oc.columns(['consultant_id', 'tenant_id']).doUpdateSet(current))
        .execute();
    },

    /**
     * Active associations with whom they belong to: a consultant, or an automation identity (named by
     * its display name, and its app's client ID where a consultant's email would be).
     */
    async list(filter: { verdict?: string | undefined; consultantId?: string | undefined } = {}) {
      let query = db
        .selectFrom('associations')
        .leftJoin('consultants', 'consultants.id', 'associations.consultant_id')
        .leftJoin('automation_identities', 'automation_identities.id', 'associations.automation_identity_id')
        .select([
          'associations.id',
          'associations.consultant_id',
          'associations.automation_identity_id',
          'consultants.email',
          'consultants.display_name',
          'automation_identities.display_name as identity_name',
          'automation_identities.client_id',
          'associations.kind',
          'associations.tenant_id',
          'associations.tenant_name',
          'associations.object_id',
          'associations.partner_id',
          'associations.previous_partner_id',
          'associations.linked_at',
          'associations.last_checked_at',
          'associations.verdict',
          'associations.verdict_since',
          'associations.verdict_stale',
          'associations.evidence',
          'associations.status',
        ])
        .where('associations.status', '=', 'active')
        .orderBy('associations.kind', 'desc')
        .orderBy('consultants.email')
        .orderBy('automation_identities.display_name')
        .orderBy('associations.tenant_id');
      if (filter.verdict) query = query.where('associations.verdict', '=', filter.verdict);
      if (filter.consultantId) query = query.where('associations.consultant_id', '=', filter.consultantId);
      const rows = await query.execute();
      return rows.map(({ identity_name, client_id, ...row }) => ({
        ...row,
        email: row.email ?? `app ${client_id ?? 'unknown'}`,
        display_name: row.display_name ?? identity_name ?? '',
      }));
    },
  };
}

export type AssociationStore = ReturnType<typeof createAssociationStore>;
