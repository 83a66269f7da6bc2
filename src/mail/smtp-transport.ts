import nodemailer from 'nodemailer';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { composeMessage, messageIdHost, parseSender } from './message.ts';
import { classifySendError } from './outcome.ts';
import { parseSmtpUrl } from './smtp-url.ts';
import type { MailTransport, OutgoingMail, SendOutcome } from './transport.ts';

export interface SmtpTransportOptions {
  smtpUrl: string;
  from: string;
  publicBaseUrl: string;
  logger: Logger;
  clock: Clock;
}

/** How long `close()` waits for messages already handed to the server before it gives up on them. */
const CLOSE_GRACE_MS = 10_000;

/**
 * The SMTP adapter: one pooled nodemailer transporter for the life of the process, so a bulk send
 * reuses a few authenticated connections instead of opening one per message.
 */
export function createSmtpTransport(options: SmtpTransportOptions): MailTransport & { description: string } {
  const settings = parseSmtpUrl(options.smtpUrl);
  const from = parseSender(options.from);
  const host = messageIdHost(options.publicBaseUrl);
  const transporter = nodemailer.createTransport(settings.options);
  const log = options.logger.child({ component: 'mail', transport: 'smtp' });
  log.info({ smtp: settings.description }, 'mail goes out through SMTP');

  const inFlight = new Set<Promise<SendOutcome>>();
  let closed = false;

  async function deliver(mail: OutgoingMail): Promise<SendOutcome> {
    const composed = composeMessage(mail, { from, messageIdHost: host, date: options.clock.now() });
    if (!composed.ok) return { ok: false, permanent: true, reason: composed.reason, code: 'EINVALID' };
    try {
      const info = await transporter.sendMail(composed.options);
      // One recipient per message: a partial refusal cannot happen, but a refusal in `rejected` is
      // still a refusal and must not be reported as delivered.
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        return classifySendError({
          code: 'EENVELOPE',
          message: 'the recipient was refused',
          rejectedErrors: (info as { rejectedErrors?: unknown[] }).rejectedErrors,
        });
      }
      return { ok: true, providerMessageId: info.messageId, response: info.response };
    } catch (error) {
      const failure = classifySendError(error);
      log.debug(
        { messageId: mail.messageId, code: failure.code, permanent: failure.permanent },
        'mail not delivered',
      );
      return failure;
    }
  }

  return {
    kind: 'smtp',
    description: settings.description,
    send(mail) {
      if (closed) {
        return Promise.resolve({
          ok: false,
          permanent: false,
          reason: 'the mail transport is closed',
          code: 'ECLOSED',
        });
      }
      const sending = deliver(mail);
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
      return sending;
    },
    async close() {
      if (closed) return;
      closed = true;
      const settled = Promise.allSettled([...inFlight]).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
        timer.unref();
      });
      const finished = await Promise.race([settled, grace]);
      clearTimeout(timer);
      // A server stalling a delivery past the grace period is given up on: that message fails
      // (temporarily) and the outbox sends it again after the restart.
      transporter.close({ force: !finished });
      log.info({ pending: inFlight.size }, 'SMTP connections closed');
    },
  };
}
