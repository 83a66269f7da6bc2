import express, { type Express } from 'express';
import { apiRouter } from './admin/api.ts';
import { consoleRouter } from './console/index.ts';
import type { Deps } from './deps.ts';
import { onboarding } from './onboarding/index.ts';
import { opsRoutes } from './ops/routes.ts';
import { errorHandler, notFoundHandler } from './platform/http/error-handler.ts';
import { refuseNulInUrl } from './platform/http/nul-guard.ts';
import { requestLogging } from './platform/http/request-logging.ts';
import { securityHeaders } from './platform/http/security-headers.ts';
import { requestMetrics } from './platform/metrics.ts';
import { PUBLIC_DIR } from './platform/templates.ts';
import { sandboxMailbox } from './sandbox/mailbox/index.ts';

/** Builds the HTTP application from its dependencies; it never listens, so tests drive it directly. */
export function createApp(deps: Deps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy the client address comes from X-Forwarded-For (rate limits need it).
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestLogging(deps.logger));
  app.use(requestMetrics(deps.metrics));
  app.use(
    securityHeaders({
      https: deps.config.publicBaseUrl.startsWith('https://'),
      signInOrigin: new URL(deps.config.azure.browserAuthorityHost).origin,
    }),
  );

  app.use(refuseNulInUrl);
  app.use(opsRoutes({ db: deps.db, metrics: deps.metrics, isShuttingDown: deps.lifecycle.isShuttingDown }));
  app.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));
  app.use('/api', apiRouter(deps));
  app.use('/console', consoleRouter(deps));
  // The service's front door is the console (which sends anyone not signed in to sign in).
  app.get('/', (_req, res) => res.redirect(303, '/console'));
  app.use(onboarding(deps));
  // Never in production: the sandbox shows the mail it "sent" (the outbox folder) in the browser.
  if (deps.config.sandbox.enabled && deps.mail.kind === 'outbox') app.use(sandboxMailbox(deps));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
