import { describe, expect, it } from 'vitest';
import { neutraliseFormula, restoreFormula } from '../platform/csv-formulas.ts';
import { EXPORT_COLUMNS, exportFileName, toExportRecord } from './csv-export.ts';
import type { Consultant } from './model.ts';

describe('the formula guard', () => {
  it.each(['=SUM(A1)', '+1', '-2+3', '@cmd', '\tx', '\rx', '＝1+1', '＋1', '－1', '＠x'])(
    'puts a quote before %j',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['Ada Lovelace', 'ada@contoso.example', "'quoted", "O'Brien", '', '4471231'])(
    'leaves %j alone',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(cell);
    },
  );

  it.each(['=1', "'=1", "''=1", "'", "'plain", '-ada@contoso.example', "'-ada@contoso.example", 'plain'])(
    'round-trips %j exactly through export and import',
    (cell) => {
      expect(restoreFormula(neutraliseFormula(cell))).toBe(cell);
    },
  );
});

describe('an exported consultant', () => {
  const consultant: Consultant = {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    email: 'ada@contoso.example',
    displayName: '=HYPERLINK("http://evil.example")',
    locationId: '4471231',
    locationLabel: 'Contoso United Kingdom',
    customerTenants: ['3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b', '8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4e'],
    status: 'active',
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-01T09:00:00.000Z',
    offboardedAt: null,
    signedInAs: null,
    lastSignedInAt: null,
  };

  it('has the import’s four columns first, then status and sign-in, one cell per column', () => {
    expect(EXPORT_COLUMNS.slice(0, 4)).toEqual(['email', 'displayName', 'locationId', 'customerTenants']);
    expect(toExportRecord(consultant)).toEqual([
      'ada@contoso.example',
      `'=HYPERLINK("http://evil.example")`,
      '4471231',
      '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b 8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4e',
      'active',
      '',
      '',
    ]);
  });

  it('is in a file named after the UTC day', () => {
    expect(exportFileName(new Date('2026-11-20T23:30:00-02:00'))).toBe('consultants-2026-11-21.csv');
  });
});
