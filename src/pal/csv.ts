import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../platform/csv-formulas.ts';

/** An association row as the store lists it (the fields the export reads). */
export interface AssociationCsvRow {
  email: string;
  display_name: string;
  tenant_id: string;
  tenant_name: string | null;
  object_id: string;
  partner_id: string;
  linked_at: string;
  last_checked_at: string | null;
  verdict: string | null;
  verdict_since: string | null;
  verdict_stale: number;
  evidence: string | null;
}

export const ASSOCIATION_CSV_COLUMNS = [
  'email',
  'displayName',
  'tenantId',
  'tenantName',
  'objectId',
  'linkedPartnerId',
  'foundPartnerId',
  'linkedAt',
  'lastCheckedAt',
  'verdict',
  'stale',
  'verdictSince',
  'subscriptions',
  'roles',
  'errorCode',
] as const;

interface EvidenceView {
  partnerId?: string | null;
  subscriptions?: number | null;
  roles?: { roleName?: string; scope?: string; eligible?: boolean; inferred?: boolean }[];
  errorCode?: string;
  lastFailure?: { errorCode?: string };
}

/**
 * Findings for a spreadsheet: one association per row, roles as `Name @ scope` joined by `; `. Every cell
 * is guarded against formula injection (names and tenant names come from outside).
 */
export function associationsCsv(rows: AssociationCsvRow[]): string {
  const records = rows.map((row) => {
    const evidence = readEvidence(row.evidence);
    const roles = (evidence.roles ?? [])
      .map((r) => `${r.roleName ?? '?'}${r.inferred ? ' (inferred)' : ''} @ ${r.scope ?? '?'}`)
      .join('; ');
    return [
      row.email,
      row.display_name,
      row.tenant_id,
      row.tenant_name ?? '',
      row.object_id,
      row.partner_id,
      evidence.partnerId ?? '',
      row.linked_at,
      row.last_checked_at ?? '',
      row.verdict ?? 'unchecked',
      row.verdict_stale === 1 ? 'yes' : 'no',
      row.verdict_since ?? '',
      evidence.subscriptions === undefined || evidence.subscriptions === null
        ? ''
        : String(evidence.subscriptions),
      roles,
      evidence.lastFailure?.errorCode ?? evidence.errorCode ?? '',
    ].map(neutraliseFormula);
  });
  return stringify([[...ASSOCIATION_CSV_COLUMNS], ...records], { record_delimiter: 'windows' });
}

function readEvidence(text: string | null): EvidenceView {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as EvidenceView) : {};
  } catch {
    return {};
  }
}

/** `associations-2026-11-20.csv`: the UTC day of the export. */
export function associationsFileName(now: Date): string {
  return `associations-${now.toISOString().slice(0, 10)}.csv`;
}
