/**
 * Scope arithmetic and `$filter` parsing for Microsoft.Authorization, kept pure for unit tests.
 * Scopes compare case-insensitively, on whole path segments (`/subscriptions/a` does not contain
 * `/subscriptions/ab`), and `/` is the root above everything.
 */

const normalise = (scope: string) => {
  const lowered = scope.toLowerCase().replace(/\/+$/, '');
  return lowered === '' ? '/' : lowered;
};

/** True when `scope` is `ancestor` or lies below it. */
export function scopeWithin(scope: string, ancestor: string): boolean {
  const s = normalise(scope);
  const a = normalise(ancestor);
  return a === '/' || s === a || s.startsWith(`${a}/`);
}

export type ScopeRelation = 'at' | 'above' | 'below' | 'unrelated';

/** Where an assignment's scope sits relative to the scope a list was asked for. */
export function relateScope(assignmentScope: string, listScope: string): ScopeRelation {
  if (normalise(assignmentScope) === normalise(listScope)) return 'at';
  if (scopeWithin(listScope, assignmentScope)) return 'above';
  if (scopeWithin(assignmentScope, listScope)) return 'below';
  return 'unrelated';
}

export interface RoleAssignmentFilter {
  /** `assignedTo`: the object and its groups, transitively; `principalId`: that object only. */
  principal?: { kind: 'assignedTo' | 'principalId'; id: string };
  /** `atScope()`: only assignments at the listed scope or above it. */
  atScope: boolean;
}

export type FilterParse = { ok: true; filter: RoleAssignmentFilter } | { ok: false; message: string };

/** Reads one filter term into `filter`; false when the term is unknown or repeats a kind. */
function readTerm(term: string, filter: RoleAssignmentFilter): boolean {
  if (/^atScope\(\)$/i.test(term)) {
    if (filter.atScope) return false;
    filter.atScope = true;
    return true;
  }
  const assignedTo = /^assignedTo\(\s*'([^']+)'\s*\)$/i.exec(term);
  const principalId = /^principalId\s+eq\s+'([^']+)'$/i.exec(term);
  const id = assignedTo?.[1] ?? principalId?.[1];
  if (!id || filter.principal) return false;
  filter.principal = { kind: assignedTo ? 'assignedTo' : 'principalId', id };
  return true;
}

/** Parses the role-assignment `$filter` ARM accepts: terms joined by `and`, one principal term at most. */
export function parseRoleAssignmentFilter(raw: string | undefined): FilterParse {
  const filter: RoleAssignmentFilter = { atScope: false };
  const text = raw?.trim() ?? '';
  if (text === '') return { ok: true, filter };
  for (const term of text.split(/\s+and\s+/i)) {
    if (!readTerm(term.trim(), filter)) {
      return {
        ok: false,
        message: `The filter '${text}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}'' or 'assignedTo('{value}')'.`,
      };
    }
  }
  return { ok: true, filter };
}

/** Whether an assignment at `assignmentScope` belongs in a list asked for at `listScope`. */
export function inListing(assignmentScope: string, listScope: string, atScope: boolean): boolean {
  const relation = relateScope(assignmentScope, listScope);
  if (relation === 'unrelated') return false;
  return !atScope || relation !== 'below';
}
