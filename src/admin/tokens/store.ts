import type { Db } from '../../platform/db/connection.ts';
import type { NewRow, Row } from '../../platform/db/tables.ts';

export type ApiTokenRow = Row<'api_tokens'>;

/** API token rows. Only hashes are stored; the token itself is shown once, at creation. */
export function createApiTokenStore(db: Db) {
  return {
    async insert(row: NewRow<'api_tokens'>): Promise<void> {
      await db.insertInto('api_tokens').values(row).execute();
    },

    async list(): Promise<ApiTokenRow[]> {
      return db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    },

    async findById(id: string): Promise<ApiTokenRow | undefined> {
      return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The unrevoked token stored under any of these hashes (one per configured key). */
    async findActiveByHashes(hashes: string[]): Promise<ApiTokenRow | undefined> {
      return db
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_hash', 'in', hashes)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
    },

    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },

    /** Returns whether this call revoked it (false when it already was). */
    async revoke(id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
