import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { composeMessage, messageIdHost, parseSender } from './message.ts';
import { outboxFileName } from './outbox-folder.ts';
import type { MailTransport, SendOutcome } from './transport.ts';

export interface OutboxTransportOptions {
  dir: string;
  from: string;
  publicBaseUrl: string;
  logger: Logger;
  clock: Clock;
}

/**
 * The adapter used when no SMTP server is configured: every message becomes an `.eml` file in the
 * outbox folder, byte for byte what SMTP would have carried (the sandbox shows them in the browser,
 * and any mail client opens them). Each file appears complete or not at all: written under a
 * temporary dot-name, then renamed.
 */
export function createOutboxTransport(options: OutboxTransportOptions): MailTransport & { dir: string } {
  const from = parseSender(options.from);
  const host = messageIdHost(options.publicBaseUrl);
  // The same MIME composition as SMTP, stopped short of the network: the message comes back as bytes.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const log = options.logger.child({ component: 'mail', transport: 'outbox' });
  let ready: Promise<unknown> | undefined;

  return {
    kind: 'outbox',
    dir: options.dir,
    async send(mail): Promise<SendOutcome> {
      const at = options.clock.now();
      const composed = composeMessage(mail, { from, messageIdHost: host, date: at });
      if (!composed.ok) return { ok: false, permanent: true, reason: composed.reason, code: 'EINVALID' };
      const file = outboxFileName(at, composed.localId);
      const temporary = join(options.dir, `.${file}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        ready ??= mkdir(options.dir, { recursive: true }).then(() =>
          log.info({ dir: options.dir }, 'no SMTP_URL: mail is written to the outbox folder'),
        );
        await ready;
        const info = await composer.sendMail(composed.options);
        await writeFile(temporary, info.message as Buffer, { flag: 'wx' });
        await rename(temporary, join(options.dir, file));
        return { ok: true, providerMessageId: file };
      } catch (error) {
        ready = undefined;
        await rm(temporary, { force: true }).catch(() => {});
        const reason = error instanceof Error ? error.message : String(error);
        log.warn({ messageId: mail.messageId, err: error }, 'could not write to the outbox folder');
        return { ok: false, permanent: false, reason: `outbox folder: ${reason}`, code: 'EOUTBOX' };
      }
    },
    async close() {
      composer.close();
    },
  };
}
