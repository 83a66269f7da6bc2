import { describe, expect, it } from 'vitest';
import { aadstsFromText, classifyAadsts } from './aadsts.ts';

describe('AADSTS classification', () => {
  it.each([
    [50057, 'account_gone'],
    [50020, 'account_gone'],
    [50173, 'interaction_required'],
    [700082, 'interaction_required'],
    [50076, 'interaction_required'],
    [65001, 'consent_required'],
    [90094, 'consent_required'],
    [53003, 'blocked_by_policy'],
    [7000222, 'app_misconfigured'],
    [700016, 'app_misconfigured'],
    [90055, 'transient'],
    [50033, 'transient'],
    [12345678, 'unknown'],
  ] as const)('AADSTS%s means %s', (code, kind) => {
    expect(classifyAadsts(code)).toBe(kind);
  });

  it('reads the code out of a description', () => {
    expect(aadstsFromText('AADSTS50057: The user account is disabled. Trace ID: x')).toBe(50057);
    expect(aadstsFromText('no code here')).toBeUndefined();
  });
});
