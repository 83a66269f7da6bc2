/**
 * Malformed roster CSVs. Each case builds its file around valid rows whose addresses are unique to
 * the case (`valid`), so the suite can prove they were imported despite the damage around them
 * ("nothing valid lost"). `status` is what the import must answer: 200 with the valid rows in and the
 * damage reported by line, or a 4xx refusing the file as a whole with a message saying what to do.
 */
export interface CsvCase {
  label: string;
  body: (valid: string[]) => string | Buffer;
  /** Content-Type sent; text/csv unless given. */
  type?: string;
  status: 200 | 400 | 413 | 415;
  /** How many valid rows the file holds (addresses handed to `body`); they must all be imported. */
  validRows?: number;
  /** The refusal or a reported row error must contain this. */
  says?: RegExp;
}

const HEADER = 'email,displayName,locationId,customerTenants';
const rows = (valid: string[]) => valid.map((email) => `${email},Valid Person,,`);
const file = (...lines: string[]) => `${lines.join('\n')}\n`;

export const CSV_CASES: CsvCase[] = [
  {
    label: 'unclosed quote between valid rows',
    validRows: 2,
    body: ([a, b]) => file(HEADER, `${a},Ada,,`, 'broken@contoso.example,"Bo Berg,4471232,', `${b},Cy,,`),
    status: 200,
    says: /never closed/,
  },
  {
    label: 'unclosed quote on the last line',
    validRows: 2,
    body: (v) => `${file(HEADER, ...rows(v))}last@contoso.example,"Never closed`,
    status: 200,
  },
  // The header is unreadable, so the file reads as headerless: the row is imported, line 1 reported.
  {
    label: 'quote opened in the header',
    validRows: 1,
    body: (v) => file(`"email,displayName`, ...rows(v)),
    status: 200,
    says: /never closed/,
  },
  {
    label: 'text after a closing quote',
    validRows: 2,
    body: (v) => file(HEADER, '"x@contoso.example"junk,X,,', ...rows(v)),
    status: 200,
  },
  {
    label: 'stray quote inside a field',
    validRows: 2,
    body: (v) => file(HEADER, 'a"b@contoso.example,X,,', ...rows(v)),
    status: 200,
  },
  {
    label: 'backslash-escaped quotes',
    validRows: 2,
    body: (v) => file(HEADER, ...rows(v), 'q@contoso.example,"A \\"B\\" C",,'),
    status: 200,
  },
  {
    label: 'too many fields',
    validRows: 2,
    body: (v) => file(HEADER, ...rows(v), 'm@contoso.example,M,,,extra,extra'),
    status: 200,
  },
  {
    label: 'too few fields',
    validRows: 2,
    body: (v) => file(HEADER, ...rows(v), 'f@contoso.example'),
    status: 200,
  },
  {
    label: '10,000 columns in one row',
    validRows: 2,
    body: (v) => file(HEADER, ...rows(v), `wide@contoso.example${',x'.repeat(10_000)}`),
    status: 200,
  },
  {
    label: 'a 25,000-character cell',
    validRows: 2,
    body: (v) => file(HEADER, `long@contoso.example,${'L'.repeat(25_000)},,`, ...rows(v)),
    status: 200,
  },
  {
    label: 'a row of only separators',
    validRows: 2,
    body: (v) => file(HEADER, ',,,,,,', ...rows(v)),
    status: 200,
  },
  {
    label: '100,000 blank lines',
    validRows: 2,
    body: (v) => `${HEADER}\n${'\n'.repeat(100_000)}${rows(v).join('\n')}\n`,
    status: 200,
  },
  {
    label: '1,500 unclosed quotes',
    validRows: 2,
    body: (v) =>
      file(HEADER, ...rows(v), ...Array.from({ length: 1_500 }, (_, i) => `u${i}@contoso.example,"open`)),
    // Past 1,000 unreadable lines the file is refused whole (not a CSV), so nothing is half-imported.
    status: 400,
    says: /More than 1,000 lines/,
  },
  {
    label: 'NUL bytes',
    validRows: 1,
    body: (v) => Buffer.concat([Buffer.from(file(HEADER, ...rows(v))), Buffer.from([0, 0, 0])]),
    status: 400,
    says: /binary/,
  },
  {
    label: 'UTF-16 with a BOM',
    validRows: 1,
    body: (v) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file(HEADER, ...rows(v)), 'utf16le')]),
    status: 400,
    says: /UTF-16/,
  },
  {
    label: 'UTF-16 without a BOM',
    validRows: 1,
    body: (v) => Buffer.from(file(HEADER, ...rows(v)), 'utf16le'),
    status: 400,
    says: /UTF-16/,
  },
  {
    label: 'an .xlsx workbook',
    body: () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml')]),
    status: 400,
    says: /workbook/,
  },
  {
    label: 'an .xls workbook',
    body: () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x41]),
    status: 400,
    says: /workbook/,
  },
  {
    label: 'Windows-1252 bytes',
    validRows: 1,
    body: (v) =>
      Buffer.concat([
        Buffer.from(file(HEADER, ...rows(v))),
        Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x0a]),
      ]),
    status: 400,
    says: /not valid UTF-8/,
  },
  {
    label: 'declared windows-1252',
    validRows: 1,
    body: (v) => file(HEADER, ...rows(v)),
    type: 'text/csv; charset=windows-1252',
    status: 415,
  },
  {
    label: 'sent as JSON',
    validRows: 1,
    body: (v) => file(HEADER, ...rows(v)),
    type: 'application/json',
    status: 415,
  },
  {
    label: 'sent as multipart',
    validRows: 1,
    body: (v) =>
      `--b\r\nContent-Disposition: form-data; name="file"\r\n\r\n${file(HEADER, ...rows(v))}\r\n--b--\r\n`,
    type: 'multipart/form-data; boundary=b',
    status: 415,
  },
  { label: 'empty body', body: () => '', status: 400 },
  { label: 'only blank lines and spaces', body: () => '\n  \r\n\t\n', status: 400 },
  { label: 'header only', body: () => `${HEADER}\n`, status: 200 },
  // No known column names: the file reads as headerless, and the unknown header line is reported.
  {
    label: 'no email column',
    validRows: 1,
    body: (v) => file('name,location', ...v.map((e) => `${e},1`)),
    status: 200,
    says: /"name" is not an email address/,
  },
  {
    label: 'the email column twice',
    validRows: 1,
    body: (v) => file('email,email', ...v.map((e) => `${e},other@contoso.example`)),
    status: 400,
  },
  {
    label: 'BOM and semicolons',
    validRows: 2,
    body: (v) => `\uFEFF${file('email;displayName', ...v.map((e) => `${e};Semi`))}`,
    status: 200,
  },
  {
    label: 'CR-only line ends',
    validRows: 2,
    body: (v) => `${[HEADER, ...rows(v)].join('\r')}\r`,
    status: 200,
  },
  {
    label: 'mixed line ends',
    validRows: 3,
    body: (v) => `${HEADER}\r\n${v[0]},A,,\n${v[1]},B,,\r${v[2]},C,,\r\n`,
    status: 200,
  },
  {
    label: 'an Excel sep= line',
    validRows: 2,
    body: (v) => file('sep=;', 'email;displayName', ...v.map((e) => `${e};Sep`)),
    status: 200,
  },
  {
    label: '20,001 rows',
    body: () => file('email', ...Array.from({ length: 20_001 }, (_, i) => `r${i}@contoso.example`)),
    status: 413,
    says: /20,000/,
  },
  {
    label: 'over 2 MB',
    body: () => file('email', `x@contoso.example,${'y'.repeat(2_200_000)}`),
    status: 413,
    says: /2 MB/,
  },
  {
    label: 'the same address twice, in two cases',
    validRows: 1,
    body: ([a]) => file(HEADER, `${a},First,,`, `${a!.toUpperCase()},Second,,`),
    status: 200,
  },
  {
    label: 'formula cells in every column',
    validRows: 1,
    body: (v) =>
      file(HEADER, ...rows(v), '=1+1@contoso.example,=HYPERLINK("http://evil.example"),+4471231,@SUM(A1)'),
    status: 200,
  },
  {
    label: 'header injection in names',
    validRows: 2,
    body: ([a, b]) =>
      file(HEADER, `${a},"Eve\r\nBcc: everyone@contoso.example",,`, `${b},"Mal\u001b[31mRED\u0007",,`),
    status: 200,
  },
  {
    label: 'invisible characters in addresses',
    validRows: 2,
    body: (v) =>
      file(HEADER, ...rows(v), 'a\u200b@contoso.example,Zero width,,', '\u202eada@contoso.example,RTL,,'),
    status: 200,
  },
  {
    label: 'a 300-character address and spaces in one',
    validRows: 2,
    body: (v) =>
      file(
        HEADER,
        ...rows(v),
        `${'a'.repeat(290)}@contoso.example,Long,,`,
        'ada lovelace@contoso.example,Spaced,,',
      ),
    status: 200,
  },
  {
    label: 'hostile location and tenant cells',
    validRows: 2,
    body: (v) =>
      file(
        HEADER,
        ...rows(v),
        'l1@contoso.example,L,4471230,',
        `l2@contoso.example,L,${'9'.repeat(400)},`,
        'l3@contoso.example,L,,fabrikam.onmicrosoft.com;../../etc/passwd',
        `l4@contoso.example,L,,${Array.from({ length: 300 }, () => '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b').join(';')}`,
      ),
    status: 200,
  },
  {
    label: 'a tab header with commas below',
    validRows: 1,
    body: (v) => file('email\tdisplayName', ...v.map((e) => `${e}\tTabbed`), 'c@contoso.example,Comma'),
    status: 200,
  },
];
