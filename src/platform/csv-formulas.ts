/**
 * CSV formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or
 * CR before one, or their full-width forms, which some apps normalise) as a formula. A name typed by
 * anyone could then run in the admin's Excel. The export puts a `'` in front of such a cell, which
 * spreadsheets show as text.
 *
 * We do it ourselves rather than with csv-stringify's `escape_formulas` so the round trip is lossless:
 * a value that already starts with quotes before a trigger also gets one more, and the import removes
 * exactly one. An exported file re-imports to the same values.
 */
const TRIGGER = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEUTRALISED = /^'+[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function neutraliseFormula(cell: string): string {
  return TRIGGER.test(cell) ? `'${cell}` : cell;
}

export function restoreFormula(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
