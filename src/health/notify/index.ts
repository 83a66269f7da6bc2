import { createAuditLog } from '../../audit/service.ts';
import type { Deps } from '../../deps.ts';
import { createInvitationService } from '../../invitations/service.ts';
import { createMailRenderer } from '../../mail/render.ts';
import type { RunFinishedHook, RunReport } from '../report.ts';
import { digestInput, queueDigest } from './digest.ts';
import { HEALTH_CHECK_ACTOR, reinviteAfterRun } from './reinvite.ts';
import { type ReinviteOutcome, summariseRun } from './summary.ts';
import { postWebhook, type WebhookDeliveryOptions, webhookHost } from './webhook.ts';
import { buildWebhookPayload } from './webhook-payload.ts';

export type NotifierDeps = Pick<
  Deps,
  'config' | 'db' | 'clock' | 'logger' | 'templates' | 'tokenHasher' | 'outboxQueued'
>;

export interface NotifierOptions {
  /** Timeouts and backoff of the webhook POST (tests shorten the waits). */
  webhook?: WebhookDeliveryOptions;
}

/**
 * What happens when a check run finishes: re-invite where a fresh link repairs the association,
 * then tell the admins (a digest mail each, through the outbox) and the chat channel (one webhook
 * POST). Re-invitations go first so both messages can say what was done. Each step stands alone:
 * one failing is logged (the webhook's also audited) and the others still happen; the hook itself
 * never rejects, because a notification problem must not turn a finished run into a failed one.
 */
export function createRunNotifier(deps: NotifierDeps, options: NotifierOptions = {}): RunFinishedHook {
  const logger = deps.logger.child({ component: 'health-notify' });
  const audit = createAuditLog(deps);
  const renderer = createMailRenderer({ templates: deps.templates });
  const invitations = createInvitationService(deps);
  const wake = () => deps.outboxQueued.notify();
  const policy = deps.config.autoReinvite;
  const context = { partnerName: deps.config.partner.name, publicBaseUrl: deps.config.publicBaseUrl, policy };

  return async (report: RunReport) => {
    let outcomes = new Map<string, ReinviteOutcome>();
    try {
      outcomes = await reinviteAfterRun(
        { db: deps.db, clock: deps.clock, invitations, audit, logger, policy, wake },
        report,
      );
      const reinvited = [...outcomes.values()].filter((o) => o.status === 'reinvited').length;
      if (reinvited > 0)
        logger.info({ runId: report.runId, reinvited }, 'consultants re-invited after the health check');
    } catch (error) {
      logger.error({ err: error, runId: report.runId }, 'health check re-invitations failed');
    }

    const summary = summariseRun(report, outcomes, policy);

    try {
      const queued = await queueDigest(
        { db: deps.db, clock: deps.clock, config: deps.config, renderer, wake },
        report,
        digestInput(report, summary, context),
      );
      if (queued > 0) logger.info({ runId: report.runId, recipients: queued }, 'health check digest queued');
    } catch (error) {
      logger.error({ err: error, runId: report.runId }, 'queuing the health check digest failed');
    }

    const url = deps.config.alertWebhookUrl;
    if (!url || (report.transitions.length === 0 && report.adminAlerts.length === 0)) return;
    const host = webhookHost(url);
    try {
      const outcome = await postWebhook(url, buildWebhookPayload(report, summary, context), options.webhook);
      if (outcome.ok) {
        logger.info(
          { runId: report.runId, host, attempts: outcome.attempts },
          'health check posted to the webhook',
        );
        return;
      }
      logger.warn({ runId: report.runId, host, ...outcome }, 'posting to the alert webhook failed');
      await audit.record({
        actor: HEALTH_CHECK_ACTOR,
        action: 'health.webhook_failed',
        subjectType: 'check_run',
        subjectId: report.runId,
        detail: { host, attempts: outcome.attempts, status: outcome.status, reason: outcome.reason },
      });
    } catch (error) {
      logger.error({ err: error, runId: report.runId, host }, 'alert webhook step failed');
    }
  };
}
