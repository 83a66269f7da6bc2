import type { Deps } from '../deps.ts';
import { sandboxControl } from '../sandbox/control-client.ts';
import {
  codeRequestOf,
  linkedWorldOf,
  newSignInPlan,
  seedLinkedConsultants,
} from '../sandbox/linked-consultants.ts';

export interface SandboxSeedOptions {
  consultants: number;
  tenants: number;
  subscriptions: number;
}

interface BulkResult {
  tenants: { id: string; displayName: string }[];
  users: { upn: string; userId: string; identities: { tenantId: string; objectId: string }[] }[];
}

/**
 * `pal sandbox-seed`: many consultants who have already linked, to try the health check (and several
 * instances sharing it) at a size no one clicks through. The running sandbox adds them to its world
 * (guests with Contributor in new customer tenants, linked to the default location), issues one
 * sign-in code each, and this process redeems them as the OAuth callback does and records the links.
 */
export async function sandboxSeed(deps: Deps, options: SandboxSeedOptions, out: NodeJS.WritableStream) {
  if (!deps.config.sandbox.enabled)
    throw new Error('sandbox-seed only works with the sandbox (no AZURE_CLIENT_ID)');
  const sandbox = { url: deps.config.azure.authorityHost };
  const control = <T>(path: string, body: unknown): Promise<T> =>
    sandboxControl<T>(sandbox, 'POST', path, body).catch((error: Error) => {
      // A refusal says what was refused; no answer at all means the server (and its sandbox) is down.
      if (error.message.startsWith('control ')) throw error;
      throw new Error(`the sandbox at ${sandbox.url} does not answer: start the server first (npm start)`);
    });

  const partnerId = deps.config.partner.locations[0]?.id;
  if (!partnerId) throw new Error('no partner location is configured');

  const bulk = await control<BulkResult>('/bulk/consultants', {
    count: options.consultants,
    tenants: options.tenants,
    subscriptionsPerTenant: options.subscriptions,
    partnerId,
  });
  const world = linkedWorldOf(bulk, partnerId);
  const plan = newSignInPlan(deps.config.publicBaseUrl);
  const { codes } = await control<{ codes: { userId: string; code: string }[] }>('/sign-in-codes', {
    userIds: world.consultants.map((c) => c.userId),
    ...codeRequestOf(plan),
  });
  const failures = await seedLinkedConsultants(deps, world, { plan, codes, concurrency: 8 });
  out.write(
    `Seeded ${world.consultants.length - failures.length} consultants linked in ${bulk.tenants.length} new customer tenants ` +
      `(${world.associations.length} associations, partner ID ${partnerId}).\n`,
  );
  for (const failure of failures.slice(0, 5)) out.write(`  sign-in failed: ${failure}\n`);
  return failures.length === 0 ? 0 : 1;
}
