import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config/index.ts';
import type { Logger } from '../platform/logger.ts';
import { outboxDir } from './outbox-folder.ts';
import { createOutboxTransport } from './outbox-transport.ts';
import { createSmtpTransport } from './smtp-transport.ts';

/** One message to one person. The caller renders it; the transport only carries it. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * stable ID for idempotency/traceability: a dot-atom such as `inv_42` or a UUID, sent as
   * `Message-ID: <inv_42@host-of-PUBLIC_BASE_URL>`. A complete `<id@host>` is accepted as it is.
   */
  messageId: string;
  headers?: Record<string, string>;
}

/**
 * What became of one message. Delivery problems are values, never exceptions: `permanent` means
 * sending the same message again would be refused again (5xx, a bad address); anything else may
 * succeed later (4xx, the server unreachable, a dropped connection) and is worth a retry.
 */
export type SendOutcome =
  | { ok: true; providerMessageId: string; response?: string }
  | { ok: false; permanent: boolean; reason: string; code?: string };

/** The mail port: SMTP in production, a folder of `.eml` files when no SMTP server is configured. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendOutcome>;
  /** Lets messages already being transmitted finish, then releases connections. */
  close(): Promise<void>;
  readonly kind: 'smtp' | 'outbox';
}

/** Picks the adapter the configuration asks for: SMTP when `SMTP_URL` is set, the outbox folder otherwise. */
export function createMailTransport(
  config: Pick<Config, 'mail' | 'dataDir' | 'publicBaseUrl'>,
  deps: { logger: Logger; clock: Clock },
): MailTransport {
  const common = { from: config.mail.from, publicBaseUrl: config.publicBaseUrl, ...deps };
  if (config.mail.smtpUrl) return createSmtpTransport({ ...common, smtpUrl: config.mail.smtpUrl });
  return createOutboxTransport({ ...common, dir: outboxDir(config.dataDir) });
}
