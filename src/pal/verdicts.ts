/**
 * The health verdicts of DESIGN §6, worst first. They live with `pal` (not `health`) because the
 * association API filters by them and lower floors must not import the health check.
 */
export const VERDICTS = [
  'account_revoked',
  'reauth_required',
  'check_failed',
  'pal_missing',
  'pal_mismatch',
  'no_access',
  'reader_only',
  'healthy',
] as const;

export type Verdict = (typeof VERDICTS)[number];
