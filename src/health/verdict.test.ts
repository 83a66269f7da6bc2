import { describe, expect, it } from 'vitest';
import { type CheckFacts, decideVerdict } from './verdict.ts';

const linked: CheckFacts = { token: 'ok', armFailed: false, link: 'match', roles: [{ eligible: true }] };

describe('the verdict, worst first', () => {
  it('is healthy when linked to the right ID with an eligible role', () => {
    expect(decideVerdict(linked)).toBe('healthy');
  });

  it('is reader_only when roles exist but none is eligible', () => {
    expect(decideVerdict({ ...linked, roles: [{ eligible: false }, { eligible: false }] })).toBe(
      'reader_only',
    );
  });

  it('is no_access when the complete listing found no role at all', () => {
    expect(decideVerdict({ ...linked, roles: [] })).toBe('no_access');
  });

  it('puts a missing or wrong link before anything about roles', () => {
    expect(decideVerdict({ ...linked, link: 'missing', roles: [] })).toBe('pal_missing');
    expect(decideVerdict({ ...linked, link: 'mismatch', roles: [] })).toBe('pal_mismatch');
    expect(decideVerdict({ ...linked, link: 'missing', roles: [{ eligible: true }] })).toBe('pal_missing');
  });

  it('says account_revoked only when the identity platform says the account is gone', () => {
    expect(decideVerdict({ ...linked, token: { failed: 'account_gone' } })).toBe('account_revoked');
  });

  it('asks for a new sign-in on expired grants, MFA, consent and policy blocks, or no stored sign-in', () => {
    for (const failed of ['interaction_required', 'consent_required', 'blocked_by_policy'] as const) {
      expect(decideVerdict({ ...linked, token: { failed } })).toBe('reauth_required');
    }
    expect(decideVerdict({ ...linked, token: 'never_signed_in' })).toBe('reauth_required');
  });

  it('never turns a transient or unknown failure into account_revoked or no_access', () => {
    for (const failed of ['transient', 'unknown', 'app_misconfigured'] as const) {
      expect(decideVerdict({ ...linked, token: { failed } })).toBe('check_failed');
    }
    expect(decideVerdict({ ...linked, armFailed: true, roles: [] })).toBe('check_failed');
    expect(decideVerdict({ ...linked, armFailed: true, link: 'missing' })).toBe('check_failed');
  });

  it('does not read roles that were never listed as no roles', () => {
    expect(decideVerdict({ ...linked, roles: undefined })).toBe('check_failed');
    expect(decideVerdict({ ...linked, link: undefined })).toBe('check_failed');
  });
});
