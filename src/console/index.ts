import { type Response, Router } from 'express';
import { createApiTokenService } from '../admin/tokens/service.ts';
import { createAuditLog } from '../audit/service.ts';
import { automationPageRoutes } from '../automation/console-routes.ts';
import { createAutomation } from '../automation/index.ts';
import type { Deps } from '../deps.ts';
import { createRunViews } from '../health/runs.ts';
import { createBulkInvitations } from '../invitations/bulk.ts';
import { createInvitationRequests } from '../invitations/requests.ts';
import { createInvitationService } from '../invitations/service.ts';
import { createOutboxStore } from '../outbox/store.ts';
import { createAssociationStore } from '../pal/associations.ts';
import { createRosterCsv } from '../roster/csv-service.ts';
import { createRosterService } from '../roster/service.ts';
import { auditPageRoutes } from './admin/audit.ts';
import { settingsRoutes } from './admin/settings.ts';
import { tokenPageRoutes } from './admin/tokens.ts';
import { createConsoleSignIns } from './auth/attempts.ts';
import { consoleCookies } from './auth/cookies.ts';
import { requireCsrfToken, requireSameOrigin } from './auth/csrf.ts';
import { consoleAuditContext, requireConsoleSession, sessionOf } from './auth/guard.ts';
import { consoleAuthRoutes, signOutRoute } from './auth/routes.ts';
import { createConsoleSignIn } from './auth/sign-in.ts';
import { consultantDetailRoutes } from './consultants/detail.ts';
import { consultantRoutes } from './consultants/routes.ts';
import { createConsultantSummaries } from './consultants/summaries.ts';
import { createCoverage } from './dashboard/coverage.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { consoleErrorPages } from './errors.ts';
import { createAcknowledgements } from './findings/acknowledgements.ts';
import { findingRoutes } from './findings/routes.ts';
import { consoleForms } from './forms.ts';
import { progressRoutes } from './progress/routes.ts';
import { createConsoleSessions } from './sessions/service.ts';
import { createConsoleRenderer } from './view.ts';

/**
 * The admin console, mounted at `/console`. Order is the security model: the public sign-in routes,
 * then the session guard (everything after it needs a signed-in admin), then the same-origin check,
 * the form parsers and the CSRF token check for anything that changes state, then the pages.
 */
export function consoleRouter(deps: Deps): Router {
  const audit = createAuditLog(deps);
  const sessions = createConsoleSessions(deps);
  const cookies = consoleCookies(deps.config);
  const render = createConsoleRenderer(deps);
  const origin = new URL(deps.config.publicBaseUrl).origin;
  const refuse = (res: Response, status: 401 | 403, reason: string) =>
    render(
      res,
      'problem',
      status === 401
        ? {
            title: 'Sign in first',
            heading: 'Sign in first',
            message: reason,
            nextHref: '/console/sign-in',
            nextLabel: 'Sign in',
          }
        : { title: 'Refused', heading: 'Refused', message: reason },
      status,
    );

  const roster = createRosterService({ ...deps, audit });
  const invitations = createInvitationService(deps);
  const bulk = createBulkInvitations({
    db: deps.db,
    clock: deps.clock,
    invitations,
    outbox: createOutboxStore(deps.db),
    wake: deps.outboxQueued.notify,
  });
  const requests = createInvitationRequests({ db: deps.db, invitations, bulk, roster, audit });
  const coverage = createCoverage(deps.db);
  const summaries = createConsultantSummaries(deps.db);
  const acknowledgements = createAcknowledgements({ ...deps, audit });
  const runs = createRunViews(deps.db);

  const router = Router();
  // Console URLs hold no secrets, and same-origin lets browsers send a real Origin on our own forms.
  router.use((_req, res, next) => {
    res.set('Referrer-Policy', 'same-origin');
    next();
  });
  router.use(
    consoleAuthRoutes({
      rateLimits: deps.rateLimits,
      signIn: createConsoleSignIn({
        identity: deps.azure.identity,
        signIns: createConsoleSignIns(deps),
        sessions,
        audit,
        config: deps.config,
        logger: deps.logger,
      }),
      sessions,
      cookies,
      render,
      origin,
    }),
  );
  router.use(requireConsoleSession({ sessions, cookies, config: deps.config, refuse }));
  router.use(requireSameOrigin(origin, refuse));
  router.use(...consoleForms());
  router.use(requireCsrfToken(sessions, refuse));

  router.post(
    '/sign-out',
    signOutRoute({
      sessions,
      cookies,
      record: async (req, res) => {
        await audit.record({
          ...consoleAuditContext(req, res),
          action: 'console.signed_out',
          subjectType: 'admin',
          subjectId: sessionOf(res).objectId,
        });
      },
    }),
  );
  router.use(
    dashboardRoutes({ coverage, runs, clock: deps.clock, schedule: deps.config.healthCheckSchedule, render }),
  );
  router.use(progressRoutes({ health: deps, runs, bulk, audit, render }));
  router.use(
    consultantRoutes({
      roster,
      rosterCsv: createRosterCsv({ ...deps, audit }),
      summaries,
      config: deps.config,
      clock: deps.clock,
      render,
    }),
  );
  router.use(consultantDetailRoutes({ roster, requests, summaries, acknowledgements, audit, render }));
  router.use(
    findingRoutes({
      associations: createAssociationStore(deps.db),
      acknowledgements,
      coverage,
      clock: deps.clock,
      render,
    }),
  );
  router.use(automationPageRoutes({ automation: createAutomation(deps), render }));
  router.use(auditPageRoutes({ audit, render }));
  router.use(settingsRoutes({ config: deps.config, clock: deps.clock, render }));
  router.use(
    tokenPageRoutes({
      tokens: createApiTokenService({ ...deps, audit }),
      render,
      publicBaseUrl: deps.config.publicBaseUrl,
    }),
  );
  router.use(...consoleErrorPages(render));
  return router;
}
