import { describe, expect, it } from 'vitest';
import { inListing, parseRoleAssignmentFilter, relateScope, scopeWithin } from './scopes.ts';

const SUB = '/subscriptions/5f0c8a2e-1111-4d2b-9a6e-fab000000011';

describe('scope arithmetic', () => {
  it('matches whole segments, case-insensitively, with / as the root', () => {
    expect(scopeWithin(`${SUB}/resourceGroups/rg`, SUB)).toBe(true);
    expect(scopeWithin(SUB.toUpperCase(), SUB)).toBe(true);
    expect(scopeWithin(`${SUB}0`, SUB)).toBe(false);
    expect(scopeWithin(SUB, '/')).toBe(true);
  });

  it('tells at, above, below and unrelated apart', () => {
    expect(relateScope(SUB, SUB)).toBe('at');
    expect(relateScope('/', SUB)).toBe('above');
    expect(relateScope(`${SUB}/resourceGroups/rg`, SUB)).toBe('below');
    expect(relateScope('/subscriptions/other', SUB)).toBe('unrelated');
  });

  it('lists below-scope assignments unless atScope() is asked for', () => {
    expect(inListing(`${SUB}/resourceGroups/rg`, SUB, false)).toBe(true);
    expect(inListing(`${SUB}/resourceGroups/rg`, SUB, true)).toBe(false);
    expect(inListing(SUB, `${SUB}/resourceGroups/rg`, true)).toBe(true);
  });
});

describe('role-assignment $filter', () => {
  it('accepts no filter', () => {
    expect(parseRoleAssignmentFilter(undefined)).toEqual({ ok: true, filter: { atScope: false } });
  });

  it('reads assignedTo, principalId eq and atScope(), joined by and', () => {
    expect(parseRoleAssignmentFilter("assignedTo('abc')")).toEqual({
      ok: true,
      filter: { atScope: false, principal: { kind: 'assignedTo', id: 'abc' } },
    });
    expect(parseRoleAssignmentFilter("atScope() and principalId eq 'x-1'")).toEqual({
      ok: true,
      filter: { atScope: true, principal: { kind: 'principalId', id: 'x-1' } },
    });
  });

  it('refuses unknown terms and two principal terms with ARM-style wording', () => {
    const unknown = parseRoleAssignmentFilter("roleName eq 'Owner'");
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.message).toMatch(/^The filter 'roleName eq 'Owner'' is not supported/);
    expect(parseRoleAssignmentFilter("assignedTo('a') and principalId eq 'b'").ok).toBe(false);
  });
});
