import { neutraliseFormula } from '../platform/csv-formulas.ts';
import type { Consultant } from './model.ts';

/**
 * The roster as CSV, one consultant per row. The first four columns are the import's, in its order,
 * so an exported file can be edited and imported again; the rest are for reading (the import
 * ignores them with a warning).
 */
export const EXPORT_COLUMNS = [
  'email',
  'displayName',
  'locationId',
  'customerTenants',
  'status',
  'signedInAs',
  'lastSignedInAt',
] as const;

/** Spaces between tenant IDs: no quoting needed whichever separator the admin's spreadsheet uses. */
export const TENANT_SEPARATOR = ' ';

export function toExportRecord(consultant: Consultant): string[] {
  return [
    consultant.email,
    consultant.displayName,
    consultant.locationId,
    consultant.customerTenants.join(TENANT_SEPARATOR),
    consultant.status,
    consultant.signedInAs ?? '',
    consultant.lastSignedInAt ?? '',
  ].map(neutraliseFormula);
}

/** `consultants-2026-11-20.csv`: the UTC day of the export. */
export function exportFileName(now: Date): string {
  return `consultants-${now.toISOString().slice(0, 10)}.csv`;
}
