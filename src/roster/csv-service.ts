import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { AuditContext, AuditLog } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import type { NewRow } from '../platform/db/tables.ts';
import { AppError, badRequest } from '../platform/errors.ts';
import { decodeCsv } from './csv-decode.ts';
import { EXPORT_COLUMNS, toExportRecord } from './csv-export.ts';
import { type LineMessage, parseRosterCsv } from './csv-import.ts';
import { checkImportRows, type ImportCandidate, planImportRow } from './import-rows.ts';
import { toConsultant } from './model.ts';
import { resolveLocation } from './rules.ts';
import type { ExportConsultantsQuery } from './schemas.ts';
import { createRosterStore, isUniqueViolation } from './store.ts';

export type RosterCsvDeps = Pick<Deps, 'db' | 'clock' | 'config'> & { audit: AuditLog };

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: LineMessage[];
  warnings: LineMessage[];
}

/**
 * Rows per transaction. One transaction per row would make a 20,000-row import take minutes on
 * SQLite (a sync per commit); one for the whole file would hold the write lock for all of it. 500
 * rows is also far below the bound-parameter limits of SQLite (32,766) and PostgreSQL (65,535).
 */
export const IMPORT_CHUNK_ROWS = 500;
const EXPORT_PAGE_ROWS = 1_000;
const CSV_OPTIONS = { record_delimiter: 'windows' } as const;

type ChunkOutcome = Pick<ImportReport, 'created' | 'updated' | 'unchanged' | 'errors'>;

const byLine = (a: LineMessage, b: LineMessage) => a.line - b.line;

/** The roster's CSV import and export. */
export function createRosterCsv(deps: RosterCsvDeps) {
  const rules = { partner: deps.config.partner, partnerTenantId: deps.config.azure.tenantId };

  /** Applies one chunk of valid rows in one transaction: all of it commits, or none of it. */
  const applyChunk = (chunk: ImportCandidate[], defaultLocationId: string) =>
    deps.db.transaction().execute(async (trx): Promise<ChunkOutcome> => {
      const store = createRosterStore(trx);
      const stored = new Map((await store.findByEmails(chunk.map((c) => c.email))).map((r) => [r.email, r]));
      const now = deps.clock.now().toISOString();
      const outcome: ChunkOutcome = { created: 0, updated: 0, unchanged: 0, errors: [] };
      const inserts: NewRow<'consultants'>[] = [];
      for (const candidate of chunk) {
        const existing = stored.get(candidate.email);
        const plan = planImportRow(candidate, existing, defaultLocationId);
        if (plan.kind === 'refused') outcome.errors.push({ line: candidate.line, message: plan.message });
        else if (plan.kind === 'unchanged') outcome.unchanged += 1;
        else if (plan.kind === 'update' && existing) {
          await store.update(existing.id, { ...plan.values, updated_at: now });
          outcome.updated += 1;
        } else {
          inserts.push({
            id: randomUUID(),
            email: candidate.email,
            ...plan.values,
            status: 'active',
            created_at: now,
            updated_at: now,
            offboarded_at: null,
          });
          outcome.created += 1;
        }
      }
      await store.insertMany(inserts);
      return outcome;
    });

  return {
    /**
     * Imports a roster CSV. File-level problems (not UTF-8, no email column, too many rows) refuse
     * the whole file; a bad row is reported by line and the valid rows are imported regardless.
     * Existing consultants (by email) are updated, never duplicated.
     */
    async importCsv(body: Uint8Array, ctx: AuditContext): Promise<ImportReport> {
      const decoded = decodeCsv(body);
      if (!decoded.ok) throw badRequest(decoded.message);
      const parsed = parseRosterCsv(decoded.text);
      if (!parsed.ok) {
        const code = parsed.problem.kind === 'too_many_rows' ? 'payload_too_large' : 'bad_request';
        throw new AppError(code, parsed.problem.message);
      }
      const defaultLocation = resolveLocation(undefined, rules.partner);
      if (!defaultLocation.ok) throw new AppError('unavailable', defaultLocation.message);
      const checked = checkImportRows(parsed.rows, rules);
      const report: ImportReport = {
        created: 0,
        updated: 0,
        unchanged: 0,
        errors: [...parsed.errors, ...checked.errors],
        warnings: [...parsed.warnings, ...checked.warnings],
      };
      for (let at = 0; at < checked.candidates.length; at += IMPORT_CHUNK_ROWS) {
        const chunk = checked.candidates.slice(at, at + IMPORT_CHUNK_ROWS);
        let outcome: ChunkOutcome;
        try {
          outcome = await applyChunk(chunk, defaultLocation.value.id);
        } catch (error) {
          // Someone added one of these emails between our read and our insert (PostgreSQL; SQLite
          // serialises writers). Once more: that consultant now exists and becomes an update.
          if (!isUniqueViolation(error)) throw error;
          outcome = await applyChunk(chunk, defaultLocation.value.id);
        }
        report.created += outcome.created;
        report.updated += outcome.updated;
        report.unchanged += outcome.unchanged;
        report.errors.push(...outcome.errors);
      }
      report.errors.sort(byLine);
      report.warnings.sort(byLine);
      // One event for the file: per-row events would bury everything else in the audit log.
      await deps.audit.record({
        ...ctx,
        action: 'consultant.imported',
        subjectType: 'consultant',
        detail: {
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          errors: report.errors.length,
          bytes: body.byteLength,
        },
      });
      return report;
    },

    /** The filtered roster as CSV text, in pieces, so a large roster is never held in memory at once. */
    async *exportCsv(filter: ExportConsultantsQuery): AsyncGenerator<string> {
      const store = createRosterStore(deps.db);
      yield stringify([[...EXPORT_COLUMNS]], CSV_OPTIONS);
      let after = '';
      for (;;) {
        const page = await store.listAfter(filter, after, EXPORT_PAGE_ROWS);
        if (page.length === 0) return;
        yield stringify(
          page.map((row) => toExportRecord(toConsultant(row))),
          CSV_OPTIONS,
        );
        after = page.at(-1)!.email;
      }
    },
  };
}

export type RosterCsv = ReturnType<typeof createRosterCsv>;
