import { Router } from 'express';
import { auditDoc } from '../audit/docs.ts';
import { auditRoutes } from '../audit/routes.ts';
import { createAuditLog } from '../audit/service.ts';
import { automationDoc } from '../automation/docs.ts';
import { createAutomation } from '../automation/index.ts';
import { automationRoutes } from '../automation/routes.ts';
import type { Deps } from '../deps.ts';
import { healthCheckDoc } from '../health/docs.ts';
import { healthRoutes } from '../health/routes.ts';
import { createBulkInvitations } from '../invitations/bulk.ts';
import { invitationDoc } from '../invitations/docs.ts';
import { createInvitationRequests } from '../invitations/requests.ts';
import { invitationRoutes } from '../invitations/routes.ts';
import { createInvitationService } from '../invitations/service.ts';
import { createOutboxStore } from '../outbox/store.ts';
import { createAssociationStore } from '../pal/associations.ts';
import { associationDoc } from '../pal/docs.ts';
import { associationRoutes } from '../pal/routes.ts';
import { rosterCsvRoutes } from '../roster/csv-routes.ts';
import { createRosterCsv } from '../roster/csv-service.ts';
import { rosterDoc } from '../roster/docs.ts';
import { rosterRoutes } from '../roster/routes.ts';
import { createRosterService } from '../roster/service.ts';
import { requireAdmin } from './auth.ts';
import { jsonBodies } from './json-body.ts';
import { type ApiDoc, buildOpenApiDocument, jsonResponse } from './openapi.ts';
import { apiTokenDoc } from './tokens/docs.ts';
import { apiTokenRoutes } from './tokens/routes.ts';
import { createApiTokenService } from './tokens/service.ts';

const openApiDoc: ApiDoc = {
  paths: {
    '/api/openapi.json': {
      get: {
        summary: 'This document',
        tags: ['Meta'],
        security: [],
        responses: {
          '200': jsonResponse('The OpenAPI 3.1 description of the admin API', { type: 'object' }),
        },
      },
    },
  },
};

/**
 * The admin HTTP API, mounted at `/api`. Order matters: the description is public, then every
 * other route needs an admin token — checked before any body is read — then JSON bodies, then the
 * capabilities' own routes. Anything unmatched falls through to the app's 404.
 */
export function apiRouter(deps: Deps): Router {
  const audit = createAuditLog(deps);
  const tokens = createApiTokenService({ ...deps, audit });
  const roster = createRosterService({ ...deps, audit });

  // It holds no data, only the shape of the API (which is in the repository anyway); public so
  // that code generators and API explorers can fetch it before anyone has a token.
  const document = buildOpenApiDocument(
    [
      openApiDoc,
      rosterDoc,
      invitationDoc,
      associationDoc,
      automationDoc,
      healthCheckDoc,
      apiTokenDoc,
      auditDoc,
    ],
    {
      title: 'PAL Manager admin API',
      version: '1',
      description:
        'Roster, invitations, PAL associations, health checks and the audit log. Errors: { error: { code, message, requestId } }.',
      serverUrl: deps.config.publicBaseUrl,
    },
  );

  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(requireAdmin({ config: deps.config, tokens, rateLimits: deps.rateLimits }));
  // The CSV routes read their own body type, so they come before the JSON-only parser.
  router.use(rosterCsvRoutes({ rosterCsv: createRosterCsv({ ...deps, audit }), clock: deps.clock }));
  router.use(jsonBodies());
  router.use(rosterRoutes({ roster }));
  router.use(apiTokenRoutes({ tokens }));
  const invitations = createInvitationService(deps);
  const bulk = createBulkInvitations({
    db: deps.db,
    clock: deps.clock,
    invitations,
    outbox: createOutboxStore(deps.db),
    wake: deps.outboxQueued.notify,
  });
  const requests = createInvitationRequests({ db: deps.db, invitations, bulk, roster, audit });
  router.use(invitationRoutes({ requests, bulk }));
  router.use(associationRoutes({ associations: createAssociationStore(deps.db), clock: deps.clock }));
  router.use(automationRoutes({ automation: createAutomation(deps) }));
  router.use(healthRoutes({ ...deps, audit }));
  router.use(auditRoutes({ audit }));
  return router;
}
