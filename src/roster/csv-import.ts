import { CsvError, parse } from 'csv-parse/sync';
import { restoreFormula } from '../platform/csv-formulas.ts';

/**
 * The roster CSV, text → rows. Pure: no configuration, no database. Every row keeps the physical
 * line it starts on (1-based, the header counts), because that is what the admin sees in an editor
 * and what the import report points at. A malformed line becomes an error for that line and reading
 * goes on after it: valid rows are never lost because of a broken one.
 */

export const IMPORT_COLUMNS = ['email', 'displayName', 'locationId', 'customerTenants'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export type RowCells = Record<ImportColumn, string>;

export const MAX_IMPORT_ROWS = 20_000;
/** Above any valid row (a 200-character name, 200 tenant IDs), small enough that an unclosed quote
 * stops swallowing the file quickly. */
const MAX_RECORD_CHARS = 20_000;
/** Past this many unreadable lines the file is not the CSV we think it is; reading on is wasted work. */
const MAX_BROKEN_LINES = 1_000;

export interface LineMessage {
  line: number;
  message: string;
}

/** One data row: each import column's cell, trimmed; `''` when empty or absent. */
export interface CsvRow {
  line: number;
  cells: RowCells;
  /** Said with the row's errors, if it has any: a likely cause the cells alone do not show. */
  hint?: string;
}

export type CsvProblem = { kind: 'unreadable' | 'too_many_rows'; message: string };

export type ParsedCsv =
  | { ok: true; rows: CsvRow[]; errors: LineMessage[]; warnings: LineMessage[] }
  | { ok: false; problem: CsvProblem };

type Delimiter = ',' | ';' | '\t';
interface CsvRecord {
  line: number;
  fields: string[];
}

const COLUMN_LIST = IMPORT_COLUMNS.join(', ');
const count = (n: number) => n.toLocaleString('en-US');

/**
 * The separator, from the first non-blank line: whichever of `,` `;` tab occurs most outside quotes.
 * A tie goes to `,`: the likely tie is a headerless row whose tenants are separated by `;`.
 */
export function detectDelimiter(text: string): Delimiter {
  const start = text.search(/\S/);
  const end = text.indexOf('\n', Math.max(start, 0));
  const line = start === -1 ? '' : text.slice(start, end === -1 ? undefined : end);
  const seen = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in seen) seen[char as Delimiter] += 1;
  }
  const best = Math.max(seen[','], seen[';'], seen['\t']);
  if (best === 0 || seen[','] === best) return ',';
  return seen['\t'] === best ? '\t' : ';';
}

function describe(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field starts on this line and is never closed; write a quote inside a field as two ("")';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text follows the closing quote of a field; quote the whole field and write a quote inside it as two ("")';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${count(MAX_RECORD_CHARS)} characters (is a quote left open?)`;
    default:
      return 'this line is not valid CSV';
  }
}

/**
 * Records with the line each starts on. csv-parse stops at the first malformed record, so on an error
 * we note the line the failing record starts on and parse again from the next line.
 */
function readRecords(text: string, delimiter: Delimiter): { records: CsvRecord[]; broken: LineMessage[] } {
  // Bytes, so that parsing again from a line is a view (subarray), not a copy of the rest of the file.
  const bytes = Buffer.from(text, 'utf8');
  const lineStarts = [0];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lineStarts.push(i + 1);
  const isBlank = (line: number) =>
    !/\S/.test(bytes.subarray(lineStarts[line - 1], lineStarts[line]).toString('utf8'));
  const records: CsvRecord[] = [];
  const broken: LineMessage[] = [];
  let from = 1;
  while (from <= lineStarts.length && broken.length <= MAX_BROKEN_LINES) {
    let lastEnd = from - 1;
    try {
      parse(bytes.subarray(lineStarts[from - 1]), {
        delimiter,
        record_delimiter: '\n',
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
        max_record_size: MAX_RECORD_CHARS,
        on_record: (fields: string[], context) => {
          const end = from - 1 + context.lines;
          lastEnd = end;
          // Only quoted fields hold line breaks, so they tell how many lines the record spans.
          const spanned = fields.reduce((n, field) => n + (field.split('\n').length - 1), 0);
          if (fields.some((field) => field !== '')) records.push({ line: end - spanned, fields });
          return null;
        },
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      let start = lastEnd + 1;
      while (start < lineStarts.length && isBlank(start)) start += 1;
      broken.push({ line: start, message: describe(error) });
      from = start + 1;
    }
  }
  return { records, broken };
}

type Columns = { header: boolean; columns: (ImportColumn | undefined)[]; warnings: LineMessage[] };

const comparable = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const KNOWN = new Map(IMPORT_COLUMNS.map((column) => [comparable(column), column]));

/**
 * A first record that names at least one import column (case, spaces, `_` and `-` ignored) and holds
 * no email address is the header; otherwise the file has the four columns in order.
 */
function columnsOf(first: CsvRecord): Columns | CsvProblem {
  const named = first.fields.map((field) => KNOWN.get(comparable(field)));
  const isHeader = named.some(Boolean) && !first.fields.some((field) => field.includes('@'));
  if (!isHeader) return { header: false, columns: [...IMPORT_COLUMNS], warnings: [] };
  const where = `The header (line ${first.line})`;
  const ignored: string[] = [];
  for (const [index, column] of named.entries()) {
    if (column && named.indexOf(column) !== index) {
      return { kind: 'unreadable', message: `${where} names ${column} twice` };
    }
    const field = first.fields[index] ?? '';
    if (!column) ignored.push(field ? JSON.stringify(field) : `column ${index + 1} (no name)`);
  }
  if (!named.includes('email')) {
    return { kind: 'unreadable', message: `${where} has no email column; name the columns ${COLUMN_LIST}` };
  }
  const warnings = ignored.length
    ? [
        {
          line: first.line,
          message: `Not imported: ${ignored.join(', ')}; the import reads the columns ${COLUMN_LIST}`,
        },
      ]
    : [];
  return { header: true, columns: named, warnings };
}

/** Cells past the last non-empty one do not count: spreadsheets pad rows with trailing separators. */
function usedLength(fields: string[]): number {
  let length = fields.length;
  while (length > 0 && fields[length - 1] === '') length -= 1;
  return length;
}

export function parseRosterCsv(text: string, limits = { maxRows: MAX_IMPORT_ROWS }): ParsedCsv {
  // One line-break form, so line numbers match what an editor shows for CRLF, LF and old-Mac CR files.
  const normalised = text.replace(/\r\n?/g, '\n');
  const { records, broken } = readRecords(normalised, detectDelimiter(normalised));
  if (broken.length > MAX_BROKEN_LINES) {
    const message = `More than ${count(MAX_BROKEN_LINES)} lines are not valid CSV; is this a CSV file?`;
    return { ok: false, problem: { kind: 'unreadable', message } };
  }
  const first = records[0];
  if (!first && broken.length === 0) {
    const message = `The CSV is empty; send a header line (${IMPORT_COLUMNS.join(',')}) and one line per consultant`;
    return { ok: false, problem: { kind: 'unreadable', message } };
  }
  const layout = first ? columnsOf(first) : { header: false, columns: [...IMPORT_COLUMNS], warnings: [] };
  if ('kind' in layout) return { ok: false, problem: layout };
  const data = layout.header ? records.slice(1) : records;
  // A broken line is a row too: it would be one once fixed.
  const rowCount = data.length + broken.length;
  if (rowCount > limits.maxRows) {
    const message = `The CSV has ${count(rowCount)} rows; at most ${count(limits.maxRows)} are imported at once, so split it`;
    return { ok: false, problem: { kind: 'too_many_rows', message } };
  }
  const rows: CsvRow[] = [];
  const errors = [...broken];
  const width = layout.columns.length;
  for (const record of data) {
    const used = usedLength(record.fields);
    const expected = layout.header
      ? `the header has ${width}`
      : `without a header line the columns are ${COLUMN_LIST}`;
    const tooMany = `the row has ${record.fields.length} fields but ${expected}; quote a field that contains the separator`;
    if (used > width) {
      errors.push({ line: record.line, message: tooMany });
      continue;
    }
    const cells: RowCells = { email: '', displayName: '', locationId: '', customerTenants: '' };
    for (const [index, column] of layout.columns.entries()) {
      if (column) cells[column] = restoreFormula(record.fields[index] ?? '').trim();
    }
    // Extra empty fields are usually padding, but can be an unquoted separator shifting the cells.
    rows.push(
      record.fields.length > width
        ? { line: record.line, cells, hint: tooMany }
        : { line: record.line, cells },
    );
  }
  const warnings = [...layout.warnings];
  if (layout.header && data.length === 0 && broken.length === 0) {
    warnings.push({ line: first!.line, message: 'The CSV has a header line but no consultants' });
  }
  errors.sort((a, b) => a.line - b.line);
  return { ok: true, rows, errors, warnings };
}
