import { readFileSync } from 'node:fs';
import { createAuditLog } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { createBulkInvitations } from '../invitations/bulk.ts';
import { createInvitationService } from '../invitations/service.ts';
import { createMailSender } from '../jobs/background.ts';
import { createOutboxStore } from '../outbox/store.ts';
import { decodeCsv } from '../roster/csv-decode.ts';
import { parseRosterCsv } from '../roster/csv-import.ts';
import { createRosterCsv } from '../roster/csv-service.ts';
import { createRosterLookups } from '../roster/lookups.ts';
import { progressReporter } from './progress.ts';

export interface InviteOptions {
  all?: boolean;
  includeLinked?: boolean;
  emails?: string[];
  csv?: string;
  tenant?: string;
  send: boolean;
}

/**
 * `pal invite`: issues links for the chosen consultants, sends them through the durable outbox with a
 * progress bar, and prints a summary. Without --send-later it sends right here, in this process, sharing
 * the outbox with any running server (claims keep each message sent once).
 */
export async function invite(
  deps: Deps,
  options: InviteOptions,
  out: NodeJS.WritableStream,
): Promise<number> {
  const lookups = createRosterLookups(deps);
  const outbox = createOutboxStore(deps.db);
  const invitations = createInvitationService(deps);
  const bulk = createBulkInvitations({ db: deps.db, clock: deps.clock, invitations, outbox, wake: () => {} });

  const wanted = [
    ...(options.emails ?? []),
    ...(options.csv ? await importRoster(deps, options.csv, out) : []),
  ];
  const unknown: string[] = [];
  let consultants: { id: string; email: string }[] = [];
  if (options.all) {
    const linked = new Set(
      (
        await deps.db
          .selectFrom('associations')
          .select('consultant_id')
          .where('status', '=', 'active')
          .execute()
      ).map((r) => r.consultant_id),
    );
    consultants = (
      await deps.db.selectFrom('consultants').select(['id', 'email']).where('status', '=', 'active').execute()
    ).filter((c) => options.includeLinked || !linked.has(c.id));
  } else {
    for (const email of wanted) {
      const found = await lookups.findByEmail(email);
      if (found?.status === 'active') consultants.push({ id: found.id, email: found.email });
      else unknown.push(email);
    }
  }
  if (unknown.length > 0) out.write(`Not on the roster (or offboarded), skipped: ${unknown.join(', ')}\n`);
  if (consultants.length === 0) {
    out.write('Nobody to invite.\n');
    return unknown.length > 0 ? 1 : 0;
  }

  const { batchId, invitations: issued } = await bulk.createBatch({
    consultants,
    tenantId: options.tenant ?? null,
    send: options.send,
    createdBy: 'cli',
  });
  if (!options.send) {
    for (const [index, invitation] of issued.entries())
      out.write(`${consultants[index]?.email}\t${invitation.url}\n`);
    out.write(
      `${issued.length} links issued (batch ${batchId}); share them yourself: they are not stored.\n`,
    );
    return 0;
  }

  const reporter = progressReporter('Sending', issued.length);
  const sender = createMailSender(deps);
  let progress = (await bulk.progress(batchId))!;
  while (progress.pending > 0) {
    const handled = await sender.runOnce();
    progress = (await bulk.progress(batchId))!;
    reporter.update(progress);
    // Messages waiting to retry later are left to the server's sender.
    if (handled === 0) break;
  }
  reporter.stop();
  out.write(
    `Batch ${batchId}: ${progress.sent} sent, ${progress.failed} failed, ${progress.skipped} skipped, ${progress.pending} waiting to retry.\n`,
  );
  if (progress.failed > 0) {
    const failures = await deps.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'last_error'])
      .where('batch_id', '=', batchId)
      .where('state', '=', 'failed')
      .execute();
    for (const failure of failures) out.write(`  failed: ${failure.to_address}: ${failure.last_error}\n`);
  }
  return progress.failed > 0 ? 2 : 0;
}

/**
 * `--csv`: the file is imported into the roster first (added or updated, with the same per-line report
 * as the API), then everyone on a line that imported cleanly is invited.
 */
async function importRoster(deps: Deps, file: string, out: NodeJS.WritableStream): Promise<string[]> {
  const bytes = readFileSync(file);
  const audit = createAuditLog(deps);
  const report = await createRosterCsv({ ...deps, audit }).importCsv(bytes, { actor: 'cli' });
  out.write(
    `Roster import: ${report.created} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.errors.length} refused.\n`,
  );
  for (const error of report.errors) out.write(`  line ${error.line}: ${error.message}\n`);
  const decoded = decodeCsv(bytes);
  const parsed = decoded.ok ? parseRosterCsv(decoded.text) : undefined;
  if (!parsed?.ok) return [];
  const refused = new Set(report.errors.map((e) => e.line));
  return parsed.rows
    .filter((row) => !refused.has(row.line))
    .map((row) => row.cells.email ?? '')
    .filter(Boolean);
}
