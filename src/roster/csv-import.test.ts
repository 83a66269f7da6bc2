import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCsv } from './csv-decode.ts';
import { detectDelimiter, parseRosterCsv } from './csv-import.ts';
import { checkImportRows, type ImportCandidate } from './import-rows.ts';

const FABRIKAM = '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const NORTHWIND = '8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4e';
const TAILSPIN = 'b7e3a1c9-2d4f-4e6a-8b0c-5d7f9e1a3c2b';
const PARTNER_TENANT = '7a1f3c52-0d4e-4b8a-9c61-2f5e8d3b4a10';

const rules = {
  partner: {
    globalId: '4471230',
    locations: [
      { id: '4471231', label: 'Contoso United Kingdom', isDefault: true },
      { id: '4471232', label: 'Contoso Germany', isDefault: false },
    ],
  },
  partnerTenantId: PARTNER_TENANT,
};

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/csv/${name}`, import.meta.url));

/** The pure half of an import: bytes → decoded → rows → checked against the roster rules. */
function importOf(bytes: Uint8Array) {
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return { refused: decoded.message };
  const parsed = parseRosterCsv(decoded.text);
  if (!parsed.ok) return { refused: parsed.problem.message, kind: parsed.problem.kind };
  const checked = checkImportRows(parsed.rows, rules);
  return {
    candidates: checked.candidates,
    errors: [...parsed.errors, ...checked.errors].sort((a, b) => a.line - b.line),
    warnings: [...parsed.warnings, ...checked.warnings],
  };
}

type Expected = [line: number, message: string | RegExp][];
interface Case {
  file: string;
  behaviour: string;
  imports?: Partial<ImportCandidate>[];
  errors?: Expected;
  warnings?: Expected;
  refused?: RegExp;
}

const CLEANED = 'displayName: line breaks, control characters and repeated spaces were removed';
const corpus: Case[] = [
  {
    file: 'basic.csv',
    behaviour: 'reads a header and rows; empty cells are left for the defaults',
    imports: [
      {
        line: 2,
        email: 'ada@contoso.example',
        displayName: 'Ada Lovelace',
        locationId: '4471231',
        customerTenants: [FABRIKAM],
      },
      {
        line: 3,
        email: 'bo@contoso.example',
        displayName: 'Bo Berg',
        locationId: '4471232',
        customerTenants: undefined,
      },
      { line: 4, email: 'cy@contoso.example', displayName: undefined, locationId: undefined },
    ],
  },
  {
    file: 'bom.csv',
    behaviour: 'drops a UTF-8 byte order mark before the header',
    imports: [{ line: 2, email: 'ada@contoso.example', locationId: '4471231' }],
  },
  {
    file: 'semicolon.csv',
    behaviour: 'detects the ; separator, so a comma in a name needs no quotes',
    imports: [
      { email: 'ada@contoso.example', displayName: 'Lovelace, Ada', customerTenants: [FABRIKAM, NORTHWIND] },
      { email: 'bo@contoso.example', locationId: '4471231' },
    ],
  },
  {
    file: 'tab.tsv',
    behaviour: 'detects the tab separator',
    imports: [
      { email: 'ada@contoso.example', displayName: 'Lovelace, Ada', locationId: '4471232' },
      { email: 'bo@contoso.example', displayName: 'Bo; Berg' },
    ],
  },
  {
    file: 'excel-european.csv',
    behaviour: 'reads Excel’s European "CSV UTF-8": BOM, ;, CRLF, quoted fields, accents',
    imports: [
      { line: 2, displayName: 'Lovelace; Ada', customerTenants: [FABRIKAM] },
      { line: 3, displayName: 'Jürgen Groß', customerTenants: [FABRIKAM, NORTHWIND] },
    ],
  },
  {
    file: 'quoted-comma.csv',
    behaviour: 'keeps commas and doubled quotes inside quoted fields',
    imports: [
      { displayName: 'Lovelace, Ada' },
      { displayName: 'Berg, Bo "The Boss"', customerTenants: [FABRIKAM, NORTHWIND] },
    ],
  },
  {
    file: 'embedded-newline.csv',
    behaviour: 'joins a line break inside a quoted name and counts lines physically after it',
    imports: [
      { line: 2, email: 'ada@contoso.example', displayName: 'Ada Lovelace' },
      { line: 4, email: 'bo@contoso.example' },
    ],
    warnings: [[2, CLEANED]],
  },
  {
    file: 'crlf.csv',
    behaviour: 'reads CRLF line ends, counting a CRLF as one line',
    imports: [{ line: 2 }, { line: 3, displayName: 'Bo Berg' }, { line: 5, email: 'cy@contoso.example' }],
    warnings: [[3, CLEANED]],
  },
  {
    file: 'cr-only.csv',
    behaviour: 'reads old Mac CR-only line ends',
    imports: [
      { line: 2, email: 'ada@contoso.example' },
      { line: 3, email: 'bo@contoso.example' },
    ],
  },
  {
    file: 'no-header.csv',
    behaviour: 'without a header, takes the four columns in order from line 1',
    imports: [
      { line: 1, email: 'ada@contoso.example', locationId: '4471232', customerTenants: [FABRIKAM] },
      { line: 2, email: 'bo@contoso.example', displayName: 'Bo Berg', locationId: undefined },
    ],
  },
  {
    file: 'no-header-emails-only.csv',
    behaviour: 'takes a bare list of emails',
    imports: [
      { email: 'ada@contoso.example' },
      { email: 'bo@contoso.example' },
      { email: 'cy@contoso.example' },
    ],
  },
  {
    file: 'header-reordered.csv',
    behaviour: 'maps a header in another order and case',
    imports: [
      {
        email: 'ada@contoso.example',
        displayName: 'Ada Lovelace',
        locationId: '4471232',
        customerTenants: [NORTHWIND],
      },
      { email: 'bo@contoso.example', displayName: 'Bo Berg', locationId: undefined },
    ],
  },
  {
    file: 'header-spelled-differently.csv',
    behaviour: 'recognises "E-Mail", "Display Name" and "location_id"',
    imports: [{ email: 'ada@contoso.example', displayName: 'Ada Lovelace', locationId: '4471232' }],
  },
  {
    file: 'extra-column.csv',
    behaviour: 'ignores unknown and unnamed columns with one warning that names them',
    imports: [{ email: 'ada@contoso.example', displayName: 'Ada Lovelace', locationId: '4471232' }],
    warnings: [[1, /^Not imported: "department", column 4 \(no name\); the import reads the columns email/]],
  },
  {
    file: 'blank-lines.csv',
    behaviour: 'skips blank, whitespace-only and separator-only lines without shifting line numbers',
    imports: [
      { line: 4, email: 'ada@contoso.example' },
      { line: 7, email: 'bo@contoso.example' },
    ],
  },
  {
    file: 'trailing-spaces.csv',
    behaviour: 'trims spaces around header names and cells, quoted or not',
    imports: [
      {
        email: 'ada@contoso.example',
        displayName: 'Ada Lovelace',
        locationId: '4471232',
        customerTenants: [FABRIKAM],
      },
      { email: 'bo@contoso.example', displayName: 'Bo Berg' },
    ],
  },
  {
    file: 'unterminated-quote.csv',
    behaviour: 'reports an unclosed quote on the line it opens and still reads the lines after it',
    imports: [
      { line: 2, email: 'ada@contoso.example' },
      { line: 4, email: 'cy@contoso.example' },
    ],
    errors: [[3, /^a quoted field starts on this line and is never closed/]],
  },
  {
    file: 'text-after-closing-quote.csv',
    behaviour: 'reports text after a closing quote and reads on',
    imports: [{ line: 3, email: 'bo@contoso.example' }],
    errors: [[2, /^text follows the closing quote of a field; quote the whole field/]],
  },
  {
    file: 'too-many-fields.csv',
    behaviour: 'refuses a row with more fields than the header, hinting at an unquoted separator',
    imports: [{ line: 3, email: 'bo@contoso.example', locationId: '4471232' }],
    errors: [
      [
        2,
        /^locationId: "Ada" is not a location ID.*\(the row has 5 fields but the header has 4; quote a field/,
      ],
      [4, 'the row has 5 fields but the header has 4; quote a field that contains the separator'],
    ],
  },
  {
    file: 'too-few-fields.csv',
    behaviour: 'accepts rows that leave out trailing empty fields',
    imports: [{ email: 'ada@contoso.example', displayName: 'Ada Lovelace' }, { email: 'bo@contoso.example' }],
  },
  { file: 'empty.csv', behaviour: 'refuses an empty file', refused: /^The CSV is empty; send a header line/ },
  {
    file: 'blank-only.csv',
    behaviour: 'refuses a file of blank lines as empty',
    refused: /^The CSV is empty/,
  },
  {
    file: 'header-only.csv',
    behaviour: 'accepts a header with no rows, warning that there is nobody in it',
    imports: [],
    warnings: [[1, 'The CSV has a header line but no consultants']],
  },
  {
    file: 'header-without-email.csv',
    behaviour: 'refuses a header without an email column',
    refused: /^The header \(line 1\) has no email column; name the columns email, displayName/,
  },
  {
    file: 'header-twice-named.csv',
    behaviour: 'refuses a header naming a column twice',
    refused: /^The header \(line 1\) names displayName twice$/,
  },
  {
    file: 'html-in-names.csv',
    behaviour: 'keeps HTML and script in names as plain data',
    imports: [
      { displayName: "<script>alert('x')</script>" },
      { displayName: '<img src=x onerror=alert(1)>' },
    ],
  },
  {
    file: 'line-break-injection.csv',
    behaviour: 'removes CR/LF, bidi overrides and control characters from names, with a warning',
    imports: [
      { line: 2, displayName: 'Eve Bcc: everyone@contoso.example' },
      { line: 4, displayName: 'Mal evil' },
    ],
    warnings: [
      [2, CLEANED],
      [4, CLEANED],
    ],
  },
  {
    file: 'non-latin-names.csv',
    behaviour: 'keeps non-Latin scripts and emoji in names',
    imports: [{ displayName: '山田 花子' }, { displayName: 'نادية' }, { displayName: 'Zoë 🚀 Ñúñez' }],
  },
  {
    file: 'uppercase-emails.csv',
    behaviour: 'stores emails lower-case',
    imports: [{ email: 'ada.lovelace@contoso.example' }],
  },
  {
    file: 'duplicate-emails.csv',
    behaviour: 'imports the first of two emails that differ only by case and refuses the later line',
    imports: [{ line: 2, email: 'ada@contoso.example', displayName: 'Ada Lovelace' }, { line: 3 }],
    errors: [[4, 'ada@contoso.example is a duplicate of line 2; each consultant may appear once']],
  },
  {
    file: 'global-id.csv',
    behaviour: 'refuses the global ID as location with the API’s wording',
    imports: [{ line: 3 }],
    errors: [
      [
        2,
        "locationId: 4471230 is the partner's global ID (PGA); PAL needs a location ID (PLA): one of 4471231, 4471232",
      ],
    ],
  },
  {
    file: 'unknown-location.csv',
    behaviour: 'refuses a location that is not the partner’s, listing the valid ones',
    imports: [],
    errors: [
      [
        2,
        `locationId: "9999999" is not one of the partner's location IDs; use one of 4471231 (Contoso United Kingdom), 4471232 (Contoso Germany)`,
      ],
    ],
  },
  {
    file: 'location-label.csv',
    behaviour: 'refuses a location given by its label, listing IDs with their labels',
    imports: [],
    errors: [
      [
        2,
        /^locationId: "Contoso Germany" is not a location ID \(4 to 10 digits\); use one of 4471231 \(Contoso/,
      ],
    ],
  },
  {
    file: 'bad-tenants.csv',
    behaviour: 'refuses tenants that are not GUIDs, naming each bad one',
    imports: [],
    errors: [
      [
        2,
        /^customerTenants: "fabrikam\.onmicrosoft\.com" is not a tenant ID: .*domain names are not accepted$/,
      ],
      [3, /"not-a-guid" is not a tenant ID.*; also "8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4ex"$/],
    ],
  },
  {
    file: 'partner-tenant.csv',
    behaviour: 'refuses the partner’s own tenant as a customer tenant',
    imports: [],
    errors: [
      [
        2,
        `customerTenants: ${PARTNER_TENANT} is the partner's own tenant (AZURE_TENANT_ID); customerTenants lists customers' tenants`,
      ],
    ],
  },
  {
    file: 'tenant-separators.csv',
    behaviour: 'splits tenants on spaces, | and ;, de-duplicated and lower-case',
    imports: [
      { customerTenants: [FABRIKAM, NORTHWIND] },
      { customerTenants: [FABRIKAM, NORTHWIND, TAILSPIN] },
      { customerTenants: [FABRIKAM, NORTHWIND] },
    ],
  },
  {
    file: 'formula-cells.csv',
    behaviour: 'undoes the export’s formula guard and keeps other formulas as inert text',
    imports: [
      { email: '-ada@contoso.example', displayName: '=Ada' },
      { displayName: '=HYPERLINK("http://evil.example")' },
    ],
  },
  {
    file: 'missing-and-bad-emails.csv',
    behaviour: 'refuses rows without an email or with a malformed one',
    imports: [{ line: 4, email: 'ada@contoso.example' }],
    errors: [
      [2, 'email: missing; every row needs the consultant’s email'],
      [3, 'email: "not-an-email" is not an email address'],
    ],
  },
  {
    file: 'several-problems-in-one-row.csv',
    behaviour: 'names every problem of a row in one message',
    imports: [],
    errors: [
      [2, /^displayName: at most 200 characters; locationId: 4471230 is .*; customerTenants: "nope" is not/],
    ],
  },
];

describe('the roster CSV corpus', () => {
  it.each(corpus)('$file $behaviour', (c) => {
    const result = importOf(fixture(c.file));
    if (c.refused) {
      expect(result.refused).toMatch(c.refused);
      return;
    }
    expect(result.refused).toBeUndefined();
    expect(result.candidates).toHaveLength(c.imports!.length);
    expect(result.candidates).toMatchObject(c.imports!);
    const expectMessages = (actual: { line: number; message: string }[] | undefined, expected: Expected) => {
      expect(actual?.map((m) => m.line)).toEqual(expected.map(([line]) => line));
      for (const [index, [, message]] of expected.entries()) {
        if (typeof message === 'string') expect(actual?.[index]?.message).toBe(message);
        else expect(actual?.[index]?.message).toMatch(message);
      }
    };
    expectMessages(result.errors, c.errors ?? []);
    expectMessages(result.warnings, c.warnings ?? []);
  });

  it('reads the 50-consultant roster with its three bad lines', () => {
    const result = importOf(fixture('roster-50-with-3-bad.csv'));
    expect(result.candidates).toHaveLength(47);
    expect(result.errors?.map((e) => e.line)).toEqual([8, 24, 42]);
  });
});

describe('what the import refuses as a whole file', () => {
  const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const utf16be = (text: string) => Buffer.from(Buffer.from(text, 'utf16le')).swap16();

  it.each([
    ['UTF-16 LE with a BOM', utf16le('email\nada@contoso.example\n')],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('email\n')])],
    ['UTF-16 without a BOM', Buffer.from('email,displayName\nada@contoso.example,Ada\n', 'utf16le')],
  ])('%s, with the hint to save it as CSV UTF-8', (_name, bytes) => {
    expect(importOf(bytes).refused).toMatch(
      /^The CSV is UTF-16 text .*save it as "CSV UTF-8 \(Comma delimited\)"/,
    );
  });

  it('an Excel workbook, saying so', () => {
    const xlsx = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40, 7)]);
    expect(importOf(xlsx).refused).toMatch(/^This is a spreadsheet workbook \(\.xlsx or \.xls\), not CSV/);
  });

  it('binary data', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]);
    expect(importOf(png).refused).toMatch(/^The body is binary data, not CSV text/);
  });

  it('text in a legacy encoding (Windows-1252 "é")', () => {
    const latin1 = Buffer.from('email,displayName\nrene@contoso.example,René\n', 'latin1');
    expect(importOf(latin1).refused).toMatch(/^The CSV is not valid UTF-8 \(perhaps Windows-1252/);
  });

  it('more than 20,000 rows, as too large, while 20,000 are read', () => {
    const rows = (n: number) =>
      ['email', ...Array.from({ length: n }, (_, i) => `p${i}@contoso.example`)].join('\n');
    const over = parseRosterCsv(rows(20_001));
    expect(over).toEqual({
      ok: false,
      problem: {
        kind: 'too_many_rows',
        message: 'The CSV has 20,001 rows; at most 20,000 are imported at once, so split it',
      },
    });
    const limit = parseRosterCsv(rows(20_000));
    expect(limit.ok && limit.rows.length).toBe(20_000);
  });

  it('a file that is mostly not CSV, instead of reporting every line', () => {
    const broken = Array.from({ length: 1_200 }, (_, i) => `p${i}@contoso.example,"x"y`).join('\n');
    expect(importOf(Buffer.from(broken)).refused).toBe(
      'More than 1,000 lines are not valid CSV; is this a CSV file?',
    );
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['email,displayName', ','],
    ['email;displayName;locationId', ';'],
    ['email\tdisplayName', '\t'],
    ['"Lovelace, Ada";ada@contoso.example', ';'],
    ['ada@contoso.example', ','],
    [`ada@contoso.example,,,${FABRIKAM};${NORTHWIND};${TAILSPIN};${FABRIKAM}`, ','],
    ['\n\n  email;displayName', ';'],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});
