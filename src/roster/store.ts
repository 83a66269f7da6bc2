import { sql } from 'kysely';
import type { Db } from '../platform/db/connection.ts';
import type { NewRow, Row, RowUpdate } from '../platform/db/tables.ts';
import type { ConsultantRecord } from './model.ts';

export interface ConsultantFilter {
  status: 'active' | 'offboarded' | 'all';
  locationId?: string | undefined;
  q?: string | undefined;
  /** Only consultants with an active PAL link showing this verdict (`unchecked`: not checked yet). */
  verdict?: string | undefined;
  /** Only those with (`linked`) or without (`unlinked`) any active PAL link. */
  link?: 'linked' | 'unlinked' | undefined;
  limit: number;
  offset: number;
}

/** `%` and `_` in a search are literal text, not wildcards. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Consultant rows, plus read-only views of their invitations and associations: the roster shows
 * them but never writes them (except offboarding, which retires a consultant's associations).
 */
export function createRosterStore(db: Db) {
  const consultants = () =>
    db
      .selectFrom('consultants as c')
      .leftJoin('locations as l', 'l.id', 'c.location_id')
      .selectAll('c')
      .select('l.label as location_label');

  const filtered = (filter: Omit<ConsultantFilter, 'limit' | 'offset'>) => {
    let query = consultants();
    if (filter.status !== 'all') query = query.where('c.status', '=', filter.status);
    if (filter.locationId) query = query.where('c.location_id', '=', filter.locationId);
    if (filter.q) {
      const pattern = likePattern(filter.q);
      // lower() on both sides: LIKE is case-insensitive in SQLite but not in PostgreSQL.
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(c.email)`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(c.display_name)`, 'like', sql`${pattern} escape '\\'`),
        ]),
      );
    }
    const { verdict, link } = filter;
    if (verdict || link) {
      query = query.where((eb) => {
        // Correlated on the consultant: does any active link (with this verdict) exist?
        const links = (withVerdict: string | undefined) => {
          let sub = eb
            .selectFrom('associations as a')
            .select('a.id')
            .whereRef('a.consultant_id', '=', 'c.id')
            .where('a.status', '=', 'active');
          if (withVerdict === 'unchecked') sub = sub.where('a.verdict', 'is', null);
          else if (withVerdict) sub = sub.where('a.verdict', '=', withVerdict);
          return eb.exists(sub);
        };
        const conditions = [];
        if (verdict) conditions.push(links(verdict));
        if (link === 'linked') conditions.push(links(undefined));
        if (link === 'unlinked') conditions.push(eb.not(links(undefined)));
        return eb.and(conditions);
      });
    }
    return query;
  };

  return {
    async findById(id: string): Promise<ConsultantRecord | undefined> {
      return consultants().where('c.id', '=', id).executeTakeFirst();
    },

    async findByEmail(email: string): Promise<ConsultantRecord | undefined> {
      return consultants().where('c.email', '=', email).executeTakeFirst();
    },

    async list(filter: ConsultantFilter): Promise<{ rows: ConsultantRecord[]; total: number }> {
      const rows = await filtered(filter)
        .orderBy('c.email')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute();
      const counted = await filtered(filter)
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      return { rows, total: Number(counted.total) };
    },

    /** Active consultants, all of them or those with these IDs. */
    async listActive(ids?: string[]): Promise<ConsultantRecord[]> {
      let query = consultants().where('c.status', '=', 'active');
      if (ids) query = query.where('c.id', 'in', ids.length > 0 ? ids : ['']);
      return query.orderBy('c.email').execute();
    },

    async insert(row: NewRow<'consultants'>): Promise<void> {
      await db.insertInto('consultants').values(row).execute();
    },

    /** The consultants (any status) with these emails: one query for a whole import chunk. */
    async findByEmails(emails: string[]): Promise<Row<'consultants'>[]> {
      if (emails.length === 0) return [];
      return db.selectFrom('consultants').selectAll().where('email', 'in', emails).execute();
    },

    /** One statement for many rows; callers keep batches small enough for the bound-parameter limits. */
    async insertMany(rows: NewRow<'consultants'>[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('consultants').values(rows).execute();
    },

    /**
     * The next page of a filtered roster in email order, after `afterEmail`. Keyset pages stay fast
     * and consistent for an export of the whole roster, where offsets would rescan.
     */
    async listAfter(
      filter: Omit<ConsultantFilter, 'limit' | 'offset'>,
      afterEmail: string,
      limit: number,
    ): Promise<ConsultantRecord[]> {
      return filtered(filter).where('c.email', '>', afterEmail).orderBy('c.email').limit(limit).execute();
    },

    async update(id: string, changes: RowUpdate<'consultants'>): Promise<void> {
      await db.updateTable('consultants').set(changes).where('id', '=', id).execute();
    },

    async invitationsOf(consultantId: string): Promise<Row<'invitations'>[]> {
      return db
        .selectFrom('invitations')
        .selectAll()
        .where('consultant_id', '=', consultantId)
        .orderBy('created_at', 'desc')
        .execute();
    },

    /** The mails sent for the consultant's invitations, newest first: their delivery state. */
    async mailsOf(consultantId: string) {
      return db
        .selectFrom('mail_outbox')
        .select(['invitation_id', 'kind', 'state', 'attempts', 'last_error', 'sent_at', 'created_at'])
        .where('consultant_id', '=', consultantId)
        .orderBy('created_at', 'desc')
        .execute();
    },

    async associationsOf(consultantId: string): Promise<Row<'associations'>[]> {
      return db
        .selectFrom('associations')
        .selectAll()
        .where('consultant_id', '=', consultantId)
        .orderBy('linked_at', 'desc')
        .execute();
    },

    /** An offboarded consultant's links are no longer checked; they stay as history. */
    async retireAssociations(consultantId: string): Promise<number> {
      const result = await db
        .updateTable('associations')
        .set({ status: 'inactive' })
        .where('consultant_id', '=', consultantId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** The consultant's stored sign-ins (refresh tokens): nothing may act for them once they leave. */
    async discardTokenCaches(consultantId: string): Promise<number> {
      const result = await db
        .deleteFrom('token_caches')
        .where('consultant_id', '=', consultantId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type RosterStore = ReturnType<typeof createRosterStore>;

/** Shared with every store that races on a unique constraint. */
export { isUniqueViolation } from '../platform/db/errors.ts';
