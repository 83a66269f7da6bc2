/**
 * Paging through the audit log, newest first. Many events can share one millisecond (a bulk send
 * records one per invitation), so a bare time would skip or repeat events at a page boundary; the
 * cursor we hand out is the last event's time plus its ID as a tie-breaker: `<ISO time>_<id>`.
 * A bare ISO time is accepted too ("everything before 1 March").
 */
export interface AuditCursor {
  at: string;
  id?: string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const EVENT_ID = /^[0-9a-f-]{36}$/;

/** Parses a cursor; `undefined` when it is not one. Times are normalised, since stored times compare as text. */
export function parseCursor(raw: string): AuditCursor | undefined {
  const separator = raw.indexOf('_');
  const time = separator === -1 ? raw : raw.slice(0, separator);
  const id = separator === -1 ? undefined : raw.slice(separator + 1);
  if (!ISO_TIME.test(time) || (id !== undefined && !EVENT_ID.test(id))) return undefined;
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) return undefined;
  return id === undefined ? { at: at.toISOString() } : { at: at.toISOString(), id };
}

export function formatCursor(event: { at: string; id: string }): string {
  return `${event.at}_${event.id}`;
}
