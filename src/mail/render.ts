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

/** The admin digest after a health check run; every sentence is prepared by the caller. */
export interface DigestMailInput {
  partnerName: string;
  /** "1 alert, 3 changes, 2 need action": the subject and the first line. */
  headline: string;
  finishedAt: Date;
  /** How the run was started: `schedule`, `manual` or `cli`. */
  trigger: string;
  total: number;
  counts: { label: string; count: number }[];
  alerts: { message: string; tenant?: string | undefined }[];
  groups: {
    label: string;
    tone: 'bad' | 'warn' | 'good' | 'neutral';
    meaning: string;
    automatic: string;
    /** Where the associations with this verdict are listed. */
    link: string;
    items: {
      consultant: string;
      email: string;
      tenant: string;
      /** "healthy → pal_missing". */
      change: string;
      note?: string | undefined;
      evidence?: string | undefined;
    }[];
    /** Changes with this verdict not listed (the list is cut to keep the mail small). */
    more: number;
  }[];
  runUrl: string;
  consoleUrl: string;
}

export interface MailRenderer {
  renderInvitationMail(input: InvitationMailInput): RenderedMail;
  renderDigestMail(input: DigestMailInput): RenderedMail;
}

const MAX_SUBJECT_REASON = 80;

/**
 * Renders mail from `templates/mail/<name>-html.eta` and `<name>-text.eta`. Every value is reduced
 * to one line first (a name never adds a line to the text part or a header to the message), the
 * HTML part is escaped by Eta, and the subject is built here so it is one line by construction.
 * The admin digest (`renderDigestMail`, templates `digest-*`) follows the same rules.
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

    renderDigestMail(input) {
      // Names and tenant names come from customers' directories: one line each, like every value here.
      const view = singleLines(input) as DigestMailInput;
      const links = {
        runUrl: checkedUrl(input.runUrl),
        consoleUrl: checkedUrl(input.consoleUrl),
        groups: view.groups.map((group) => ({ ...group, link: checkedUrl(group.link) })),
      };
      return render('digest', `PAL health check: ${view.headline} (${view.partnerName})`, {
        ...view,
        ...links,
        finishedAt: `${formatDateInWords(input.finishedAt)}, ${input.finishedAt.toISOString().slice(11, 16)} UTC`,
      });
    },
  };
}

/** A copy with every string reduced to one safe line (objects and arrays walked, dates kept). */
function singleLines(value: unknown): unknown {
  if (typeof value === 'string') return toSingleLine(value);
  if (Array.isArray(value)) return value.map(singleLines);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, singleLines(item)]));
  }
  return value;
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

// Built once: creating an Intl formatter costs more than rendering the rest of a mail.
const DATE_IN_WORDS = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Friday 4 December 2026", in UTC so every recipient and every server reads the same day. */
export function formatDateInWords(date: Date): string {
  const parts = DATE_IN_WORDS.formatToParts(date);
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
