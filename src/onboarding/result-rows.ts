import type { Config } from '../platform/config/index.ts';
import { consentHelp } from './fallback.ts';
import type { TenantResult } from './tenant-result.ts';

const LABELS: Record<TenantResult['status'], { label: string; tone: 'ok' | 'warn' | 'bad' }> = {
  linked: { label: 'Linked', tone: 'ok' },
  already_linked: { label: 'Already linked', tone: 'ok' },
  replaced: { label: 'Changed', tone: 'ok' },
  needs_confirmation: { label: 'Your decision', tone: 'warn' },
  kept_other_partner: { label: 'Left unchanged', tone: 'warn' },
  consent_required: { label: 'Needs the customer’s approval', tone: 'warn' },
  sign_in_required: { label: 'Sign-in needed', tone: 'warn' },
  retry_later: { label: 'Try again later', tone: 'warn' },
  not_reachable: { label: 'No access', tone: 'bad' },
  failed: { label: 'Not linked', tone: 'bad' },
};

/** Result rows as the page shows them: a label and tone (text, not only colour) and, where useful, help. */
export function resultRows(
  config: Pick<Config, 'azure' | 'publicBaseUrl'>,
  partnerId: string,
  results: TenantResult[],
) {
  return results.map((row) => ({
    ...row,
    ...LABELS[row.status],
    help:
      row.status === 'consent_required' || row.code === 'PartnerIdInvalid' || row.status === 'failed'
        ? row.code === 'PartnerIdInvalid'
          ? undefined
          : consentHelp(config, row.tenantId, partnerId)
        : undefined,
  }));
}
