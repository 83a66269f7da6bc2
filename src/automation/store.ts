import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/connection.ts';
import type { NewRow, Row } from '../platform/db/tables.ts';

export type IdentityRow = Row<'automation_identities'>;

/** What a list or detail shows: the identity and its one association (null until first linked). */
export interface IdentityWithLink {
  identity: IdentityRow;
  association: Row<'associations'> | null;
}

/** Automation identities and their associations (kind `service_principal`). */
export function createAutomationStore(db: Db) {
  return {
    async insert(row: NewRow<'automation_identities'>): Promise<void> {
      await db.insertInto('automation_identities').values(row).execute();
    },

    async update(
      id: string,
      changes: Partial<Omit<IdentityRow, 'id' | 'created_at' | 'tenant_id' | 'client_id'>>,
    ): Promise<void> {
      await db.updateTable('automation_identities').set(changes).where('id', '=', id).execute();
    },

    async get(id: string): Promise<IdentityRow | undefined> {
      return db.selectFrom('automation_identities').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findByClient(tenantId: string, clientId: string): Promise<IdentityRow | undefined> {
      return db
        .selectFrom('automation_identities')
        .selectAll()
        .where('tenant_id', '=', tenantId.toLowerCase())
        .where('client_id', '=', clientId.toLowerCase())
        .executeTakeFirst();
    },

    async list(): Promise<IdentityWithLink[]> {
      const identities = await db
        .selectFrom('automation_identities')
        .selectAll()
        .where('status', '=', 'active')
        .orderBy('display_name')
        .orderBy('id')
        .execute();
      const links = await db
        .selectFrom('associations')
        .selectAll()
        .where('automation_identity_id', 'is not', null)
        .where('status', '=', 'active')
        .execute();
      const byIdentity = new Map(links.map((l) => [l.automation_identity_id, l]));
      return identities.map((identity) => ({ identity, association: byIdentity.get(identity.id) ?? null }));
    },

    async associationOf(identityId: string): Promise<Row<'associations'> | undefined> {
      return db
        .selectFrom('associations')
        .selectAll()
        .where('automation_identity_id', '=', identityId)
        .where('status', '=', 'active')
        .executeTakeFirst();
    },

    /** One row per identity × tenant, updated in place on every link (as consultants' are). */
    async recordLink(link: {
      identityId: string;
      tenantId: string;
      objectId: string;
      partnerId: string;
      previousPartnerId: string | null;
      at: Date;
    }): Promise<void> {
      const current = {
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
          consultant_id: null,
          automation_identity_id: link.identityId,
          kind: 'service_principal',
          tenant_id: link.tenantId.toLowerCase(),
          tenant_name: null,
          ...current,
        })
        .onConflict((oc) => oc.columns(['automation_identity_id', 'tenant_id']).doUpdateSet(current))
        .execute();
    },

    /** Removing an identity keeps its history: the association goes inactive and is checked no more. */
    async remove(id: string, now: Date): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('automation_identities')
          .set({ status: 'removed', secret_key_id: null, secret_data: null, updated_at: now.toISOString() })
          .where('id', '=', id)
          .execute();
        await trx
          .updateTable('associations')
          .set({ status: 'inactive' })
          .where('automation_identity_id', '=', id)
          .execute();
      });
    },
  };
}

export type AutomationStore = ReturnType<typeof createAutomationStore>;

export { randomUUID as newIdentityId };
