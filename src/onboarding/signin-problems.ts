import type { ProblemKey } from './problems.ts';

/** Which problem page an invitation in a given state shows. */
export const LINK_PROBLEMS = {
  expired: 'link_expired',
  completed: 'link_used',
  superseded: 'link_superseded',
  revoked: 'link_revoked',
} as const satisfies Record<string, ProblemKey>;

/** Consent errors arrive as `consent_required` or as an AADSTS number in the description. */
export function isConsentError(error: string, description: string | undefined): boolean {
  return error === 'consent_required' || /AADSTS(65001|90094|90095)/.test(description ?? '');
}

export function problemForAuthorizeError(error: string, description: string | undefined): ProblemKey {
  if (error === 'access_denied' && /AADSTS65004|cancel/i.test(description ?? '')) return 'cancelled';
  if (error === 'access_denied')
    return /AADSTS(50057|50034|50020|16000)/.test(description ?? '') ? 'account_problem' : 'cancelled';
  if (isConsentError(error, description)) return 'policy_blocked';
  if (error === 'temporarily_unavailable' || error === 'server_error') return 'azure_unavailable';
  return 'signin_failed';
}

export function problemForTokenFailure(kind: string): ProblemKey {
  switch (kind) {
    case 'account_gone':
      return 'account_problem';
    case 'blocked_by_policy':
      return 'policy_blocked';
    case 'app_misconfigured':
      return 'app_misconfigured';
    case 'transient':
      return 'azure_unavailable';
    default:
      return 'signin_failed';
  }
}
