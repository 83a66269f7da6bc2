import { Cron } from 'croner';
import type { Deps } from '../deps.ts';
import { createInvitationComposer } from '../invitations/composer.ts';
import { queueDueReminders } from '../invitations/reminders.ts';
import { createInvitationService } from '../invitations/service.ts';
import { createMailRenderer } from '../mail/render.ts';
import { createOutboxStore } from '../outbox/store.ts';
import { createOutboxWorker, type OutboxWorker } from '../outbox/worker.ts';

/** Builds the outbox sender for this process: it renders invitation mails at send time. */
export function createMailSender(
  deps: Deps,
  options: { batchSize?: number; idleMs?: number } = {},
): OutboxWorker {
  const renderer = createMailRenderer({ templates: deps.templates });
  return createOutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'outbox' }),
    mail: deps.mail,
    compose: createInvitationComposer({
      db: deps.db,
      config: deps.config,
      invitations: createInvitationService(deps),
      render: (input) => renderer.renderInvitationMail(input),
    }),
    ...options,
  });
}

/** Queues reminders that are due now; the schedule below calls it hourly. */
export function sendDueReminders(deps: Deps) {
  return queueDueReminders(
    { db: deps.db, clock: deps.clock, outbox: createOutboxStore(deps.db), wake: deps.outboxQueued.notify },
    deps.config.reminders,
  );
}

/**
 * The server's background work: the outbox sender (woken when mail is queued) and the reminder
 * schedule. Returns a stop function that lets messages in flight be recorded before shutdown.
 */
export function startBackground(deps: Deps): { stop(): Promise<void> } {
  const sender = createMailSender(deps);
  const unlisten = deps.outboxQueued.listen(() => sender.wake());
  sender.start();
  const reminders = new Cron('17 * * * *', { protect: true }, async () => {
    try {
      const queued = await sendDueReminders(deps);
      if (queued.count > 0)
        deps.logger.info({ batchId: queued.batchId, count: queued.count }, 'reminders queued');
    } catch (error) {
      deps.logger.error({ err: error }, 'queuing reminders failed');
    }
  });
  return {
    async stop() {
      reminders.stop();
      unlisten();
      await sender.stop();
    },
  };
}
