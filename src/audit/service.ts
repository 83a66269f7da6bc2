import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { Db } from '../platform/db/connection.ts';
import { type AuditCursor, formatCursor } from './cursor.ts';
import { scrubDetail } from './redact.ts';
import { type AuditRow, createAuditStore } from './store.ts';

/** Who did it and in which request: what every mutating service call carries for its audit event. */
export interface AuditContext {
  actor: string;
  requestId?: string | undefined;
}

export interface AuditEventInput extends AuditContext {
  /** Dotted and lower-case, `subject.verb`: `consultant.created`, `api_token.revoked`. */
  action: string;
  subjectType?: string;
  subjectId?: string;
  /** Whatever explains the event. Secret-named keys and token-shaped values are dropped. */
  detail?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  detail: Record<string, unknown> | null;
  requestId: string | null;
}

export interface AuditQuery {
  /** 1–500; 100 when not given. */
  limit?: number | undefined;
  before?: AuditCursor | undefined;
  action?: string | undefined;
  subjectId?: string | undefined;
  /** Events about any of these subjects (a consultant with their invitations and links). */
  subjectIds?: string[] | undefined;
}

const ACTION = /^[a-z][a-z_]*(?:\.[a-z][a-z_]*)+$/;

export function createAuditLog(deps: Pick<Deps, 'db' | 'clock'>) {
  return {
    /**
     * Records one event. Pass the transaction the change runs in, so the change and its audit event
     * commit together or not at all.
     */
    async record(event: AuditEventInput, executor: Db = deps.db): Promise<AuditEvent> {
      // A malformed action is a programming mistake, not a caller's: fail loudly in tests.
      if (!ACTION.test(event.action)) throw new Error(`audit action ${event.action} is not subject.verb`);
      const detail =
        event.detail === undefined ? null : (scrubDetail(event.detail) as Record<string, unknown>);
      const row: AuditRow = {
        id: randomUUID(),
        at: deps.clock.now().toISOString(),
        actor: event.actor,
        action: event.action,
        subject_type: event.subjectType ?? null,
        subject_id: event.subjectId ?? null,
        detail: detail === null ? null : JSON.stringify(detail),
        request_id: event.requestId || null,
      };
      await createAuditStore(executor).insert(row);
      return toEvent(row);
    },

    /** One page, newest first; `next` is present when older events remain. */
    async list(query: AuditQuery = {}): Promise<{ events: AuditEvent[]; next?: string }> {
      const limit = Math.min(500, Math.max(1, Math.trunc(query.limit ?? 100)));
      // One more than asked tells whether another page exists without a count query.
      const rows = await createAuditStore(deps.db).list({ ...query, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return rows.length > limit && last
        ? { events: page.map(toEvent), next: formatCursor(last) }
        : { events: page.map(toEvent) };
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
    requestId: row.request_id,
  };
}
