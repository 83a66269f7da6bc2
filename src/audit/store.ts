import type { Db } from '../platform/db/connection.ts';
import type { NewRow, Row } from '../platform/db/tables.ts';
import type { AuditCursor } from './cursor.ts';

export type AuditRow = Row<'audit_events'>;

export interface AuditFilter {
  limit: number;
  before?: AuditCursor;
  action?: string;
  subjectId?: string;
  subjectIds?: string[];
}

/** Audit rows: append-only, read newest first. */
export function createAuditStore(db: Db) {
  return {
    async insert(row: NewRow<'audit_events'>): Promise<void> {
      await db.insertInto('audit_events').values(row).execute();
    },

    async list(filter: AuditFilter): Promise<AuditRow[]> {
      let query = db.selectFrom('audit_events').selectAll();
      const before = filter.before;
      if (before?.id !== undefined) {
        const id = before.id;
        query = query.where((eb) =>
          eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', id)])]),
        );
      } else if (before) {
        query = query.where('at', '<', before.at);
      }
      if (filter.action) query = query.where('action', '=', filter.action);
      if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
      if (filter.subjectIds)
        query = query.where('subject_id', 'in', filter.subjectIds.length > 0 ? filter.subjectIds : ['']);
      return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    },
  };
}
