import type { Row } from '../platform/db/tables.ts';
import type { CsvRow, LineMessage } from './csv-import.ts';
import { checkCustomerTenants, defaultDisplayName, type PartnerIds, resolveLocation } from './rules.ts';
import { createConsultantSchema } from './schemas.ts';

/**
 * The roster rules applied to imported rows, pure so the whole corpus of odd files is tested without
 * a database. The checks are the ones `POST /api/consultants` makes (same schema, same location and
 * tenant rules, same wording), so a row fails the import exactly when the API would refuse it.
 */

/** A valid row. An empty cell is `undefined`: keep what is stored, or the default for someone new. */
export interface ImportCandidate {
  line: number;
  email: string;
  displayName: string | undefined;
  locationId: string | undefined;
  customerTenants: string[] | undefined;
}

export interface ImportRules {
  partner: PartnerIds;
  partnerTenantId: string;
}

const {
  email: emailField,
  displayName: nameField,
  customerTenants: tenantsField,
} = createConsultantSchema.shape;

/** Tenant IDs inside one cell: spaces, `|`, `;` or `,` between them (a `;` file quotes the cell). */
export const splitTenants = (cell: string) => cell.split(/[\s|;,]+/).filter(Boolean);

function checkTenants(cell: string, rules: ImportRules): { value?: string[]; problem?: string } {
  const tenants = splitTenants(cell);
  const parsed = tenantsField.safeParse(tenants);
  if (!parsed.success) {
    const [first, ...more] = parsed.error.issues;
    const others = more.map((issue) => JSON.stringify(tenants[Number(issue.path[0])] ?? ''));
    return { problem: `${first?.message}${others.length ? `; also ${others.join(', ')}` : ''}` };
  }
  const checked = checkCustomerTenants(parsed.data ?? [], rules.partnerTenantId);
  return checked.ok ? { value: checked.value } : { problem: checked.message };
}

/** One row against the roster rules: the candidate, or every problem of the row in one message. */
export function checkImportRow(
  row: CsvRow,
  rules: ImportRules,
): { ok: true; candidate: ImportCandidate; warning?: string } | { ok: false; message: string } {
  const { cells } = row;
  const problems: string[] = [];
  const email = emailField.safeParse(cells.email);
  if (!cells.email) problems.push('email: missing; every row needs the consultant’s email');
  else if (!email.success) problems.push(`email: ${email.error.issues[0]?.message}`);
  let displayName: string | undefined;
  let warning: string | undefined;
  if (cells.displayName) {
    const name = nameField.safeParse(cells.displayName);
    if (!name.success) problems.push(`displayName: ${name.error.issues[0]?.message}`);
    else {
      displayName = name.data || undefined;
      // Line breaks and control characters could inject mail headers; say so instead of silently changing it.
      if (name.data !== cells.displayName) {
        warning = 'displayName: line breaks, control characters and repeated spaces were removed';
      }
    }
  }
  let locationId: string | undefined;
  if (cells.locationId) {
    const location = resolveLocation(cells.locationId, rules.partner);
    if (location.ok) locationId = location.value.id;
    else problems.push(`locationId: ${location.message}`);
  }
  let customerTenants: string[] | undefined;
  if (cells.customerTenants) {
    const tenants = checkTenants(cells.customerTenants, rules);
    if (tenants.problem) problems.push(`customerTenants: ${tenants.problem}`);
    customerTenants = tenants.value;
  }
  if (problems.length > 0 || !email.success) return { ok: false, message: problems.join('; ') };
  const candidate = { line: row.line, email: email.data, displayName, locationId, customerTenants };
  return warning ? { ok: true, candidate, warning } : { ok: true, candidate };
}

/**
 * Every row checked. An email seen again (in any case) is an error on the later line, even when the
 * first is invalid: which copy wins must not depend on which one happens to be valid.
 */
export function checkImportRows(rows: CsvRow[], rules: ImportRules) {
  const candidates: ImportCandidate[] = [];
  const errors: LineMessage[] = [];
  const warnings: LineMessage[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const email = emailField.safeParse(row.cells.email);
    const seen = email.success ? firstLine.get(email.data) : undefined;
    if (seen !== undefined) {
      errors.push({
        line: row.line,
        message: `${email.data} is a duplicate of line ${seen}; each consultant may appear once`,
      });
      continue;
    }
    if (email.success) firstLine.set(email.data, row.line);
    const checked = checkImportRow(row, rules);
    if (!checked.ok) {
      errors.push({
        line: row.line,
        message: row.hint ? `${checked.message} (${row.hint})` : checked.message,
      });
    } else {
      candidates.push(checked.candidate);
      if (checked.warning) warnings.push({ line: row.line, message: checked.warning });
    }
  }
  return { candidates, errors, warnings };
}

export type ConsultantValues = { display_name: string; location_id: string; customer_tenants: string };

export type RowPlan =
  | { kind: 'create'; values: ConsultantValues }
  | { kind: 'update'; values: ConsultantValues }
  | { kind: 'unchanged' }
  | { kind: 'refused'; message: string };

/** The same tenants in another order are no change: the order means nothing, and a write would. */
const sameTenants = (a: string, b: string) =>
  JSON.stringify((JSON.parse(a) as string[]).toSorted()) ===
  JSON.stringify((JSON.parse(b) as string[]).toSorted());

/** What importing a valid row does to the roster, given the consultant already stored under its email. */
export function planImportRow(
  candidate: ImportCandidate,
  existing: Row<'consultants'> | undefined,
  defaultLocationId: string,
): RowPlan {
  if (!existing) {
    return {
      kind: 'create',
      values: {
        display_name: candidate.displayName ?? defaultDisplayName(candidate.email),
        location_id: candidate.locationId ?? defaultLocationId,
        customer_tenants: JSON.stringify(candidate.customerTenants ?? []),
      },
    };
  }
  if (existing.status === 'offboarded') {
    const on = existing.offboarded_at?.slice(0, 10) ?? 'an earlier date';
    return {
      kind: 'refused',
      message: `${candidate.email} was offboarded on ${on}; an import does not re-activate a consultant (reinstate them on their console page or with POST /api/consultants/{id}/reinstate)`,
    };
  }
  const values: ConsultantValues = {
    display_name: candidate.displayName ?? existing.display_name,
    location_id: candidate.locationId ?? existing.location_id,
    customer_tenants: candidate.customerTenants
      ? JSON.stringify(candidate.customerTenants)
      : existing.customer_tenants,
  };
  const same =
    values.display_name === existing.display_name &&
    values.location_id === existing.location_id &&
    sameTenants(values.customer_tenants, existing.customer_tenants);
  return same ? { kind: 'unchanged' } : { kind: 'update', values };
}
