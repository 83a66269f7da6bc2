import { createAuditLog } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { type AutomationTokens, createAutomationTokens } from './credentials.ts';
import { createAutomationService } from './service.ts';

export type AutomationDeps = Pick<Deps, 'db' | 'clock' | 'sealedBox' | 'config' | 'azure'>;

/** The token source acting as automation identities, against the configured identity platform. */
export function automationTokens(deps: Pick<Deps, 'config' | 'sealedBox'>): AutomationTokens {
  return createAutomationTokens({
    authorityHost: deps.config.azure.authorityHost,
    sealedBox: deps.sealedBox,
    secrets: deps.config.automationSecrets,
  });
}

/** The automation-identity service as the API, the console and the CLI use it. */
export function createAutomation(deps: AutomationDeps) {
  return createAutomationService({
    db: deps.db,
    clock: deps.clock,
    sealedBox: deps.sealedBox,
    config: deps.config,
    arm: deps.azure.arm,
    tokens: automationTokens(deps),
    audit: createAuditLog(deps),
  });
}
