import { Cron } from 'croner';
import type { Deps } from '../deps.ts';
import { createScheduledHealthChecks, resumeStalledHealthRuns, startHealthWorker } from '../health/index.ts';
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
  const logger = deps.logger.child({ component: 'outbox' });
  return createOutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger,
    mail: deps.mail,
    compose: createInvitationComposer({
      db: deps.db,
      config: deps.config,
      invitations: createInvitationService(deps),
      render: (input) => renderer.renderInvitationMail(input),
      logger,
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
 * How often the health-check schedule looks at the clock (the cron decides when it fires) and at runs
 * whose checks stopped.
 */
const HEALTH_SCHEDULE_TICK_MS = 30_000;

/**
 * The server's background work: the outbox sender (woken when mail is queued), the reminder schedule,
 * the health-check schedule and this instance's share of every run's checks (jobs). Returns a stop
 * function that lets messages in flight be recorded before shutdown.
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
  // The schedule's decisions are pure functions of the clock and the last run (tested without
  // timers); this interval only gives it the chance to look.
  startHealthWorker(deps);
  const healthSchedule = createScheduledHealthChecks(deps);
  const lookAtHealthRuns = async () => {
    await healthSchedule.tick();
    try {
      await resumeStalledHealthRuns(deps);
    } catch (error) {
      deps.logger.error({ err: error }, 'looking for stalled health check runs failed');
    }
  };
  // At start-up too: a run this process was working on when it died is picked up without waiting.
  void lookAtHealthRuns();
  const healthTimer = setInterval(() => void lookAtHealthRuns(), HEALTH_SCHEDULE_TICK_MS);
  healthTimer.unref();
  return {
    async stop() {
      clearInterval(healthTimer);
      reminders.stop();
      unlisten();
      await sender.stop();
    },
  };
}
