import { createHash } from 'node:crypto';
import type { DigestMailInput, MailRenderer } from '../../mail/render.ts';
import { createOutboxStore } from '../../outbox/store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/index.ts';
import type { Db } from '../../platform/db/connection.ts';
import type { RunReport } from '../report.ts';
import {
  evidenceLine,
  nameOf,
  orderedCounts,
  type RunSummary,
  runLinks,
  tenantOf,
  withoutSecrets,
} from './summary.ts';
import { headline as headlineOf, type ReinvitePolicy, verdictWords } from './verdicts.ts';

export interface DigestDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'partner' | 'publicBaseUrl' | 'adminEmails' | 'digestAlways'>;
  renderer: Pick<MailRenderer, 'renderDigestMail'>;
  wake: () => void;
}

/**
 * Changes listed per verdict at most. A first run over thousands of associations, or a partner ID
 * change, moves them all at once: the mail stays readable and small, the API has the full list.
 */
export const MAX_PER_GROUP = 50;

/** The digest's content, in words; the renderer only lays it out. */
export function digestInput(
  report: RunReport,
  summary: RunSummary,
  context: { partnerName: string; publicBaseUrl: string; policy: ReinvitePolicy },
): DigestMailInput {
  const links = runLinks(context.publicBaseUrl, report.runId);
  const { alerts, changes, needAction } = summary.counts;
  return {
    partnerName: context.partnerName,
    headline: headlineOf({ alerts, changes, needAction }),
    finishedAt: new Date(report.finishedAt),
    trigger: report.trigger,
    total: report.total,
    counts: orderedCounts(report.counts).map(({ verdict, count }) => ({
      label: verdictWords(verdict, context.policy).label,
      count,
    })),
    alerts: report.adminAlerts.map((alert) => ({
      message: withoutSecrets(alert.message),
      tenant: alert.tenantId,
    })),
    groups: summary.groups.map((group) => ({
      label: group.words.label,
      tone: group.words.tone,
      meaning: group.words.meaning,
      automatic: group.words.automatic,
      link: links.findings(group.verdict),
      items: group.items.slice(0, MAX_PER_GROUP).map((item) => ({
        consultant: nameOf(item),
        email: item.email,
        tenant: tenantOf(item),
        change: `${item.from ?? 'first check'} → ${item.to}`,
        note: item.note,
        evidence: evidenceLine(item.evidence),
      })),
      more: Math.max(0, group.items.length - MAX_PER_GROUP),
    })),
    runUrl: links.run,
    consoleUrl: links.console,
  };
}

/**
 * Queues one digest per admin through the durable outbox, with the rendered body stored (kind
 * `digest`; the composer sends stored bodies as they are). No batch row: batches are the admin's
 * sends with progress to follow, a digest is a notice. Row IDs derive from the run and the address,
 * so a hook that is called twice for one run queues each digest once.
 */
export async function queueDigest(
  deps: DigestDeps,
  report: RunReport,
  input: DigestMailInput,
): Promise<number> {
  const nothingNew = report.transitions.length === 0 && report.adminAlerts.length === 0;
  if (nothingNew && !deps.config.digestAlways) return 0;
  const recipients = [...new Set(deps.config.adminEmails.map((email) => email.toLowerCase()))];
  if (recipients.length === 0) return 0;
  const mail = deps.renderer.renderDigestMail(input);
  const rows = recipients.map((to) => ({
    id: digestId(report.runId, to),
    kind: 'digest',
    to_address: to,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html,
  }));
  const queued = await deps.db
    .selectFrom('mail_outbox')
    .select('id')
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  const already = new Set(queued.map((row) => row.id));
  const fresh = rows.filter((row) => !already.has(row.id));
  if (fresh.length === 0) return 0;
  await createOutboxStore(deps.db).enqueue(fresh, deps.clock.now());
  deps.wake();
  return fresh.length;
}

/** A UUID-shaped ID from the run and the recipient (it is also the Message-ID's left part). */
export function digestId(runId: string, to: string): string {
  const hex = createHash('sha256').update(`digest:${runId}:${to}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
