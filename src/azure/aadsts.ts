/**
 * What an identity-platform error means for us, decided by its AADSTS number (never by message text,
 * which Microsoft rewords). Sources: the Entra error-code reference; see shared/reference/azure-facts.md §3.
 */
export type TokenFailureKind =
  /** The account is disabled, deleted or no longer in the tenant. */
  | 'account_gone'
  /** The person must sign in again: expired or revoked grant, password change, MFA, sign-in frequency. */
  | 'interaction_required'
  /** The customer tenant requires admin consent for our app. */
  | 'consent_required'
  /** A Conditional Access or cross-tenant policy blocks the sign-in. */
  | 'blocked_by_policy'
  /** Our app registration or its credential is wrong: an admin must fix the configuration. */
  | 'app_misconfigured'
  /** Worth retrying later: throttling, outages, network. */
  | 'transient'
  | 'unknown';

const BY_CODE: Record<number, TokenFailureKind> = {};
const assign = (kind: TokenFailureKind, codes: number[]) => {
  for (const code of codes) BY_CODE[code] = kind;
};
assign('account_gone', [50057, 50034, 50020, 16000, 51004, 50014, 50126]);
assign(
  'interaction_required',
  [50173, 700082, 70008, 70043, 50055, 50132, 50133, 50076, 50079, 50078, 50072, 50074, 50158, 54005],
);
assign('consent_required', [65001, 90094, 90095, 65004]);
assign('blocked_by_policy', [53003, 530032, 50131, 500212, 500213, 50053, 530003, 53000, 53001, 53002]);
assign('app_misconfigured', [7000222, 7000215, 700016, 700027, 7000112, 500011, 50011, 9002313]);
assign('transient', [50033, 50087, 90006, 90033, 90090, 90024, 90055, 50196]);

export function classifyAadsts(code: number | undefined): TokenFailureKind {
  if (code === undefined) return 'unknown';
  return BY_CODE[code] ?? 'unknown';
}

/** Extracts the AADSTS number from an error description when no structured code came with it. */
export function aadstsFromText(text: string | undefined): number | undefined {
  const match = /AADSTS(\d{4,8})/.exec(text ?? '');
  return match ? Number(match[1]) : undefined;
}
