import type { TokenFailureKind } from '../azure/aadsts.ts';
import type { Verdict } from '../pal/verdicts.ts';

export type { Verdict };

/**
 * What one check found out, step by step. A step that did not happen is `undefined`: the verdict never
 * reads absence of evidence as evidence (no role list → never `no_access`).
 */
export interface CheckFacts {
  /** `never_signed_in`: no stored sign-in to act with; else the token step's outcome. */
  token: 'ok' | 'never_signed_in' | { failed: TokenFailureKind };
  /** A Resource Manager call failed (throttled, unavailable, refused): the picture is incomplete. */
  armFailed: boolean;
  link: 'missing' | 'match' | 'mismatch' | undefined;
  /** Every active role assignment found in the tenant; `undefined` when they were not all listed. */
  roles: { eligible: boolean }[] | undefined;
}

const REAUTH: TokenFailureKind[] = ['interaction_required', 'consent_required', 'blocked_by_policy'];

/**
 * The verdict of DESIGN §6, worst first. Only an identity-platform answer that the account itself is
 * gone yields `account_revoked`, and only a complete role listing yields `no_access`: a transient
 * failure can at worst say `check_failed`.
 */
export function decideVerdict(facts: CheckFacts): Verdict {
  const { token } = facts;
  if (typeof token === 'object') {
    if (token.failed === 'account_gone') return 'account_revoked';
    if (REAUTH.includes(token.failed)) return 'reauth_required';
    // transient, unknown, app_misconfigured: nothing is known about the consultant.
    return 'check_failed';
  }
  if (token === 'never_signed_in') return 'reauth_required';
  if (facts.armFailed) return 'check_failed';
  if (facts.link === 'missing') return 'pal_missing';
  if (facts.link === 'mismatch') return 'pal_mismatch';
  if (facts.link === undefined || facts.roles === undefined) return 'check_failed';
  if (facts.roles.length === 0) return 'no_access';
  if (!facts.roles.some((role) => role.eligible)) return 'reader_only';
  return 'healthy';
}
