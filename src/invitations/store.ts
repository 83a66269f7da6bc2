import type { Db } from '../platform/db/connection.ts';
import type { NewRow, Row } from '../platform/db/tables.ts';

export type InvitationRow = Row<'invitations'>;

/** Invitation rows. Tokens never reach this layer: only their hashes. */
export function createInvitationStore(db: Db) {
  return {
    async insert(rows: NewRow<'invitations'> | NewRow<'invitations'>[]): Promise<void> {
      await db.insertInto('invitations').values(rows).execute();
    },

    /** Finds an invitation by any of the hashes its token may be stored under. */
    async findByTokenHashes(hashes: string[]): Promise<InvitationRow | undefined> {
      return db.selectFrom('invitations').selectAll().where('token_hash', 'in', hashes).executeTakeFirst();
    },

    async findById(id: string): Promise<InvitationRow | undefined> {
      return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async listForConsultant(consultantId: string): Promise<InvitationRow[]> {
      return db
        .selectFrom('invitations')
        .selectAll()
        .where('consultant_id', '=', consultantId)
        .orderBy('created_at', 'desc')
        .execute();
    },

    /**
     * A newer link replaces older open ones for the same consultant (any tenant scope): every open link
     * of these consultants but the ones in `keepIds` stops working.
     */
    async supersedeOpenExcept(consultantIds: string[], keepIds: string[]): Promise<number> {
      if (consultantIds.length === 0) return 0;
      const result = await db
        .updateTable('invitations')
        .set({ state: 'superseded' })
        .where('consultant_id', 'in', consultantIds)
        .where('state', '=', 'open')
        .where('id', 'not in', keepIds)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Marks an open, unexpired invitation completed in one statement, so two concurrent callbacks
     * cannot both complete it. Returns whether this caller won.
     */
    async complete(id: string, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('invitations')
        .set({ state: 'completed', completed_at: now.toISOString() })
        .where('id', '=', id)
        .where('state', '=', 'open')
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Replaces the list of tenants still waiting on the consultant, if it is still `seen` (compare
     * and set: two decisions about different tenants at once must not lose one). False when it moved.
     */
    async swapOpenTenants(id: string, seen: string | null, next: string): Promise<boolean> {
      const result = await db
        .updateTable('invitations')
        .set({ open_tenants: next })
        .where('id', '=', id)
        .where((eb) => (seen === null ? eb('open_tenants', 'is', null) : eb('open_tenants', '=', seen)))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Revokes one open invitation; returns false when it was not open. */
    async revoke(id: string): Promise<boolean> {
      const result = await db
        .updateTable('invitations')
        .set({ state: 'revoked' })
        .where('id', '=', id)
        .where('state', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async markClaimed(id: string, now: Date): Promise<void> {
      await db
        .updateTable('invitations')
        .set({ claimed_at: now.toISOString() })
        .where('id', '=', id)
        .where('claimed_at', 'is', null)
        .execute();
    },
  };
}

export type InvitationStore = ReturnType<typeof createInvitationStore>;

/** Offboarding and explicit revocation: every open link of the consultant dies at once. */
export async function revokeOpenInvitations(db: Db, consultantId: string): Promise<number> {
  const result = await db
    .updateTable('invitations')
    .set({ state: 'revoked' })
    .where('consultant_id', '=', consultantId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
