import type { Templates } from '../platform/templates.ts';
import { toSingleLine } from '../platform/text.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type InvitationKind = 'invitation' | 'reminder' | 'reinvite';

export interface InvitationMailInput {
  partnerName: string;
  consultantName: string;
  locationId: string;
  locationLabel: string;
  /** The magic link, `PUBLIC_BASE_URL/i/{token}`. */
  url: string;
  expiresAt: Date;
  kind: InvitationKind;
  /** Why a re-invitation is needed, in plain words ("the link in Fabrikam was removed"). */
  reason?: string;
  /** Who to ask about the message; without it the mail points to the partner in general. */
  contactEmail?: string;
}

export interface MailRenderer {
  renderInvitationMail(input: InvitationMailInput): RenderedMail;
}

const MAX_SUBJECT_REASON = 80;

/**
 * Renders mail from `templates/mail/<name>-html.eta` and `<name>-text.eta`. Every value is reduced
 * to one line first (a name never adds a line to the text part or a header to the message), the
 * HTML part is escaped by Eta, and the subject is built here so it is one line by construction.
 * Further messages (the admin digest) add a method beside `renderInvitationMail` and their templates.
 */
export function createMailRenderer(deps: { templates: Templates }): MailRenderer {
  const render = (name: string, subject: string, data: Record<string, unknown>): RenderedMail => {
    const view = { ...data, subject };
    return {
      subject,
      html: deps.templates.render(`mail/${name}-html`, view),
      text: normaliseText(deps.templates.render(`mail/${name}-text`, view)),
    };
  };

  return {
    renderInvitationMail(input) {
      const url = checkedUrl(input.url);
      const partnerName = toSingleLine(input.partnerName);
      const reason = input.reason === undefined ? undefined : toSingleLine(input.reason) || undefined;
      return render('invitation', invitationSubject(input.kind, partnerName, reason), {
        kind: input.kind,
        partnerName,
        consultantName: toSingleLine(input.consultantName),
        locationId: toSingleLine(input.locationId),
        locationLabel: toSingleLine(input.locationLabel),
        url,
        expiresOn: formatDateInWords(input.expiresAt),
        reason,
        contactEmail: input.contactEmail ? toSingleLine(input.contactEmail) : undefined,
      });
    },
  };
}

function invitationSubject(kind: InvitationKind, partnerName: string, reason: string | undefined): string {
  if (kind === 'reminder') return `Reminder: link your Azure work to ${partnerName} (2 minutes)`;
  if (kind === 'reinvite') {
    const base = `Action needed: re-link your Azure work to ${partnerName}`;
    if (!reason) return base;
    const short = reason.length > MAX_SUBJECT_REASON ? `${reason.slice(0, MAX_SUBJECT_REASON - 1)}…` : reason;
    return `${base} (${short})`;
  }
  return `Link your Azure work to ${partnerName} (2 minutes)`;
}

/** "Friday 4 December 2026", in UTC so every recipient and every server reads the same day. */
export function formatDateInWords(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** Only absolute http(s) links go into a message; anything else is a bug upstream, not a mail to send. */
function checkedUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('mail links must be http(s)');
  return url.href;
}

/** Plain text: CRLF-free lines without trailing spaces, at most one blank line in a row. */
function normaliseText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
