import { describe, expect, it } from 'vitest';
import type { Row } from '../platform/db/tables.ts';
import { type ImportCandidate, planImportRow } from './import-rows.ts';

const FABRIKAM = '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const NORTHWIND = '8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4e';

const row = (values: Partial<ImportCandidate> = {}): ImportCandidate => ({
  line: 2,
  email: 'ada@contoso.example',
  displayName: undefined,
  locationId: undefined,
  customerTenants: undefined,
  ...values,
});

const stored: Row<'consultants'> = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  email: 'ada@contoso.example',
  display_name: 'Ada Lovelace',
  location_id: '4471232',
  customer_tenants: JSON.stringify([FABRIKAM, NORTHWIND]),
  status: 'active',
  created_at: '2026-11-01T09:00:00.000Z',
  updated_at: '2026-11-01T09:00:00.000Z',
  offboarded_at: null,
  home_account_id: null,
  signed_in_as: null,
  last_signed_in_at: null,
};

describe('planImportRow', () => {
  it('creates someone new with the defaults: named after the email, default location, no tenants', () => {
    expect(planImportRow(row(), undefined, '4471231')).toEqual({
      kind: 'create',
      values: { display_name: 'ada', location_id: '4471231', customer_tenants: '[]' },
    });
  });

  it('leaves a stored consultant unchanged when the row’s cells are empty', () => {
    expect(planImportRow(row(), stored, '4471231')).toEqual({ kind: 'unchanged' });
  });

  it('counts the same tenants in another order as unchanged', () => {
    const same = row({ displayName: 'Ada Lovelace', customerTenants: [NORTHWIND, FABRIKAM] });
    expect(planImportRow(same, stored, '4471231')).toEqual({ kind: 'unchanged' });
  });

  it('updates what the row changes and keeps what its empty cells leave alone', () => {
    expect(planImportRow(row({ locationId: '4471231' }), stored, '4471231')).toEqual({
      kind: 'update',
      values: {
        display_name: 'Ada Lovelace',
        location_id: '4471231',
        customer_tenants: JSON.stringify([FABRIKAM, NORTHWIND]),
      },
    });
  });

  it('refuses to re-activate an offboarded consultant, saying when they left', () => {
    const gone = { ...stored, status: 'offboarded' as const, offboarded_at: '2026-10-02T12:00:00.000Z' };
    expect(planImportRow(row({ displayName: 'Ada' }), gone, '4471231')).toEqual({
      kind: 'refused',
      message:
        'ada@contoso.example was offboarded on 2026-10-02; an import does not re-activate a consultant (reinstate them on their console page or with POST /api/consultants/{id}/reinstate)',
    });
  });
});
