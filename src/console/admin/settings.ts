import { Router } from 'express';
import { nextRunAt } from '../../health/schedule.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/index.ts';
import { ADMIN_APP_ROLE } from '../auth/admission.ts';
import { consoleCallbackUrl } from '../auth/callback-url.ts';
import type { ConsoleRenderer } from '../view.ts';

/** The SMTP server's host and port only: the URL itself may carry a user name and password. */
export function smtpHostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol.replace(':', '')}://${parsed.host}`;
  } catch {
    return 'configured';
  }
}

/**
 * What the service is configured with, read-only: partner IDs, schedule, mail, sandbox, admins. Never
 * a secret: no client secret, token, key, SMTP credential or webhook URL (which is itself a secret).
 */
export function settingsRoutes(deps: { config: Config; clock: Clock; render: ConsoleRenderer }): Router {
  const router = Router();
  const { config } = deps;

  router.get('/settings', (_req, res) => {
    deps.render(res, 'settings', {
      title: 'Settings',
      section: 'settings',
      partner: config.partner,
      tenantId: config.azure.tenantId,
      clientId: config.azure.clientId,
      authorityHost: config.azure.authorityHost,
      credential: config.azure.clientCertificatePath
        ? 'certificate'
        : config.azure.clientSecret
          ? 'client secret'
          : 'none',
      redirectUris: [`${config.publicBaseUrl}/auth/callback`, consoleCallbackUrl(config)],
      schedule: config.healthCheckSchedule,
      nextRun: nextRunAt(config.healthCheckSchedule, deps.clock.now())?.toISOString() ?? null,
      concurrency: config.healthCheckConcurrency,
      mail: config.mail.smtpUrl
        ? { mode: 'SMTP', server: smtpHostOf(config.mail.smtpUrl), from: config.mail.from }
        : { mode: 'Outbox folder', server: `${config.dataDir}/outbox`, from: config.mail.from },
      invitationTtlDays: config.invitationTtlDays,
      reminders: config.reminders,
      autoReinvite: config.autoReinvite,
      webhook: config.alertWebhookUrl ? 'configured' : 'not configured',
      adminEmails: config.adminEmails,
      adminRole: ADMIN_APP_ROLE,
      sandbox: config.sandbox.enabled,
      publicBaseUrl: config.publicBaseUrl,
    });
  });

  return router;
}
