import type { SendMailOptions } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { toSingleLine } from '../platform/text.ts';
import type { OutgoingMail } from './transport.ts';

export interface Mailbox {
  name: string;
  address: string;
}

/**
 * An addr-spec we are willing to put on an envelope: a dot-atom local part and a host name (a
 * dotless host such as `localhost` is allowed for development mail). Quoted local parts, IP
 * literals and anything with spaces or control characters are refused rather than escaped.
 */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The left part of a Message-ID: a dot-atom without the characters that mean something in file names. */
const MESSAGE_ID = /^[A-Za-z0-9_+=-]+(?:\.[A-Za-z0-9_+=-]+)*$/;

/** Only our own informational headers may be added by callers; the structural ones are ours to set. */
const CUSTOM_HEADER = /^X-[A-Za-z0-9-]{1,64}$/i;

export function isMailAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

/**
 * Reads `address` or `Display Name <address>`: exactly one mailbox, no groups. The display name is
 * reduced to one safe line (nodemailer encodes it as a header word); undefined when unusable.
 */
export function parseMailbox(input: string): Mailbox | undefined {
  const parsed = addressparser(input);
  if (parsed.length !== 1) return undefined;
  const [entry] = parsed;
  if (!entry || entry.group !== undefined || !isMailAddress(entry.address)) return undefined;
  return { name: toSingleLine(entry.name), address: entry.address };
}

/** The host part of our Message-IDs: the public host, so replies and bounces point back to us. */
export function messageIdHost(publicBaseUrl: string): string {
  return new URL(publicBaseUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost';
}

export interface ComposeContext {
  from: Mailbox;
  messageIdHost: string;
  date: Date;
}

export type Composed =
  | {
      ok: true;
      options: SendMailOptions;
      to: Mailbox;
      /** The message ID without brackets and host (names the outbox file). */
      localId: string;
    }
  | { ok: false; reason: string };

/** A caller may also pass a complete `<id@host>`; the ID part must still be a safe dot-atom. */
const BRACKETED_MESSAGE_ID = /^<([^<>@\s]+)@([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?)>$/;

/**
 * Turns an outgoing mail into nodemailer's message options, refusing (as a value) what must never
 * reach a header: several or malformed recipients, a Message-ID that is not a dot-atom, a caller
 * header that would override a structural one. Subject and names become single lines first.
 */
export function composeMessage(mail: OutgoingMail, context: ComposeContext): Composed {
  const to = parseMailbox(mail.to);
  if (!to) return { ok: false, reason: 'the recipient is not one valid email address' };
  const bracketed = BRACKETED_MESSAGE_ID.exec(mail.messageId);
  const localId = bracketed?.[1] ?? mail.messageId;
  const idHost = bracketed?.[2] ?? context.messageIdHost;
  if (localId.length > 200 || !MESSAGE_ID.test(localId)) {
    return { ok: false, reason: 'the message ID must be letters, digits, dots, _, +, = or - (at most 200)' };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!CUSTOM_HEADER.test(name))
      return { ok: false, reason: `header ${toSingleLine(name)} is not allowed` };
    headers[name] = toSingleLine(value);
  }
  return {
    ok: true,
    to,
    localId,
    options: {
      from: context.from,
      to,
      subject: toSingleLine(mail.subject),
      text: mail.text,
      html: mail.html,
      messageId: `<${localId}@${idHost}>`,
      date: context.date,
      headers: {
        ...headers,
        // RFC 3834: an automatic message; auto-responders (out-of-office) should not answer it.
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'OOF, AutoReply',
      },
      // Nothing in our messages is a file or a URL to fetch; refuse such content outright.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
  };
}

/** The configured sender, checked once at start-up: a bad MAIL_FROM is a configuration error. */
export function parseSender(from: string): Mailbox {
  const mailbox = parseMailbox(from);
  if (!mailbox) throw new Error('MAIL_FROM: use an address or "Name <address>"');
  return mailbox;
}
