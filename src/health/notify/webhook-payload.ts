import { toSingleLine } from '../../platform/text.ts';
import type { RunReport } from '../report.ts';
import { nameOf, type RunSummary, runLinks, tenantOf, withoutSecrets } from './summary.ts';
import { headline } from './verdicts.ts';

/**
 * One JSON body that both chat services accept, so ALERT_WEBHOOK_URL can be either.
 *
 * - Slack incoming webhooks post the top-level `text` (mrkdwn) as the message; a body without it
 *   (and without blocks/attachments) is refused with `no_text` / `missing_text_or_fallback_or_attachments`
 *   (slackapi/slack-github-action#117). Slack reads `attachments` as its legacy secondary
 *   attachments and refuses unexpected keys *in attachments that hold `blocks`* with
 *   `invalid_attachments` / `[ERROR] invalid_keys` (slackapi/java-slack-sdk#184, #187, #415,
 *   node-slack-sdk#832). So ours holds no Slack keys at all: no `blocks`, no `fields`, no empty
 *   arrays. That Slack then ignores the Teams keys (`type`, `contentType`, `content`) is what public
 *   reports of mixed payloads suggest, not something a Slack document promises: check it once
 *   against a real workspace before relying on it (README, "After each health check").
 * - Teams Workflows ("Post to a channel when a webhook request is received") expect
 *   `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
 *   "contentUrl":null,"content":{AdaptiveCard}}]}` and post each attachment's `content`; Workflows
 *   take Adaptive Cards only, not the old MessageCard (learn.microsoft.com, Teams platform,
 *   "Create and send messages", Known issues; the same envelope in zammad's and prometheus/
 *   alertmanager#3920's working examples). Teams ignores the top-level `text`.
 *
 * People's names and tenant names come from directories we do not control: in Slack `<`, `>` and `&`
 * are escaped (no `<!channel>` or forged links); in the card they go in RichTextBlock TextRuns,
 * which are never read as markdown. Evidence is left out entirely: a chat channel is wider than the
 * admins, and the digest and the API carry the detail.
 */

/** Listed per message at most; the rest is counted ("…and 12 more"). Keeps both services' size limits far away. */
export const MAX_LISTED = 20;

export interface WebhookPayload {
  text: string;
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: Record<string, unknown>;
    },
  ];
}

const slackEscape = (value: string) =>
  toSingleLine(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One line, keeping one space at either end: runs are joined as they are, so that space separates words. */
const run = (text: string, style: Record<string, unknown> = {}) => ({
  type: 'TextRun',
  text: `${/^\s/.test(text) ? ' ' : ''}${toSingleLine(text)}${/\s$/.test(text) ? ' ' : ''}`,
  ...style,
});
const paragraph = (inlines: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'RichTextBlock',
  inlines,
  ...extra,
});

export function buildWebhookPayload(
  report: RunReport,
  summary: RunSummary,
  context: { partnerName: string; publicBaseUrl: string },
): WebhookPayload {
  const title = `PAL health check (${toSingleLine(context.partnerName)}): ${headline(summary.counts)}`;
  const links = runLinks(context.publicBaseUrl, report.runId);
  const listed = summary.groups
    .flatMap((group) => group.items.map((item) => ({ item, words: group.words })))
    .slice(0, MAX_LISTED);
  const more = summary.counts.changes - listed.length;

  const slackLines = [`*${slackEscape(title)}*`];
  for (const alert of report.adminAlerts)
    slackLines.push(`:warning: ${slackEscape(withoutSecrets(alert.message))}`);
  for (const { item, words } of listed) {
    const who = `*${slackEscape(nameOf(item))}* (${slackEscape(item.email)})`;
    const change = `${slackEscape(item.from ?? 'first check')} → ${slackEscape(item.to)}`;
    const note = item.note ? ` ${slackEscape(item.note)}` : '';
    slackLines.push(
      `• ${who} in ${slackEscape(tenantOf(item))}: ${change} — ${slackEscape(words.label)}.${note}`,
    );
  }
  if (more > 0) slackLines.push(`…and ${more} more`);
  slackLines.push(`<${links.run}|Details of this run>`);

  const body: unknown[] = [
    paragraph([run(title, { weight: 'Bolder', size: 'Medium' })]),
    ...report.adminAlerts.map((alert) =>
      paragraph([
        run('Needs an admin: ', { weight: 'Bolder', color: 'Attention' }),
        run(withoutSecrets(alert.message)),
      ]),
    ),
    ...listed.map(({ item, words }) => ({
      type: 'Container',
      separator: true,
      items: [
        paragraph([run(nameOf(item), { weight: 'Bolder' }), run(` (${item.email}) in ${tenantOf(item)}`)]),
        paragraph([
          run(`${item.from ?? 'first check'} → ${item.to}: ${words.label}`, {
            color: words.tone === 'bad' ? 'Attention' : words.tone === 'warn' ? 'Warning' : 'Default',
          }),
          ...(item.note ? [run(` ${item.note}`, { isSubtle: true })] : []),
        ]),
      ],
    })),
    ...(more > 0 ? [paragraph([run(`…and ${more} more`, { isSubtle: true })])] : []),
  ];

  return {
    text: slackLines.join('\n'),
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'Details of this run', url: links.run }],
        },
      },
    ],
  };
}
