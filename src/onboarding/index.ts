import type { Router } from 'express';
import { createAuditLog } from '../audit/service.ts';
import { createTokenCacheStore } from '../azure/token-cache-store.ts';
import type { Deps } from '../deps.ts';
import { createInvitationService } from '../invitations/service.ts';
import { createAssociationStore } from '../pal/associations.ts';
import { createPageRenderer } from '../platform/http/pages.ts';
import { createAttemptStore } from './attempts.ts';
import { createConsultantAccess } from './consultants.ts';
import { createJourney } from './journey.ts';
import { linkEverywhere } from './link-everywhere.ts';
import { onboardingRoutes } from './routes.ts';

/** Assembles the consultant journey from the app's dependencies and returns its routes. */
export function onboarding(deps: Deps): Router {
  const audit = createAuditLog(deps);
  const associations = createAssociationStore(deps.db);
  const partner = {
    globalId: deps.config.partner.globalId,
    locationIds: deps.config.partner.locations.map((l) => l.id),
    ownTenantId: deps.config.azure.tenantId,
  };
  const journey = createJourney({
    invitations: createInvitationService(deps),
    attempts: createAttemptStore(deps),
    identity: deps.azure.identity,
    tokenCaches: createTokenCacheStore(deps),
    consultants: createConsultantAccess(deps.db),
    link: (request) =>
      linkEverywhere(
        { identity: deps.azure.identity, arm: deps.azure.arm, associations, clock: deps.clock, partner },
        request,
      ),
    audit,
    logger: deps.logger,
    clock: deps.clock,
  });
  return onboardingRoutes({
    journey,
    rateLimits: deps.rateLimits,
    render: createPageRenderer({ templates: deps.templates, sandbox: deps.config.sandbox.enabled }),
    config: deps.config,
    audit,
  });
}
