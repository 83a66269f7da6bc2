import type { IdentityPlatform } from '../azure/identity-platform.ts';
import type { ResourceManager, TenantInfo } from '../azure/resource-manager.ts';
import type { AssociationStore } from '../pal/associations.ts';
import type { PartnerIds } from '../pal/decide.ts';
import { linkTenant } from '../pal/link-tenant.ts';
import { fromLinkOutcome, fromTokenFailure, type TenantResult } from './tenant-result.ts';

export interface LinkEverywhereDeps {
  identity: IdentityPlatform;
  arm: ResourceManager;
  associations: AssociationStore;
  clock: { now(): Date };
  partner: PartnerIds & { ownTenantId: string };
}

export interface LinkRequest {
  consultantId: string;
  homeAccountId: string;
  /** The tenant the sign-in landed in: where we ask Azure which tenants the account can reach. */
  signInTenantId: string;
  /** When the invitation names one tenant, only that one is linked. */
  onlyTenantId: string | null;
  /** Tenants the admin expects; reported when the account cannot reach them. */
  expectedTenantIds: string[];
  target: string;
  /** Tenants where the consultant said yes to replacing another partner's ID. */
  replaceIn: string[];
  cache: string;
}

/**
 * Sets PAL in every customer tenant the consultant can reach (or just the invited one), one tenant at a
 * time with a token for that tenant, and records each association. Returns a row per tenant and the
 * updated token cache; never throws for an outside failure.
 */
export async function linkEverywhere(
  deps: LinkEverywhereDeps,
  request: LinkRequest,
): Promise<{ results: TenantResult[]; cache: string }> {
  let cache = request.cache;
  const token = async (tenantId: string) => {
    const answer = await deps.identity.tokenForTenant({
      cache,
      homeAccountId: request.homeAccountId,
      tenantId,
      forceRefresh: false,
    });
    cache = answer.cache || cache;
    return answer.outcome;
  };

  // Which tenants: ask Resource Manager with a token for the tenant the sign-in landed in.
  const discovery = await token(request.signInTenantId);
  let reachable: TenantInfo[] = [];
  if (discovery.ok) {
    const listed = await deps.arm.listTenants(discovery.value.token);
    if (listed.ok) reachable = listed.value;
    else if (!request.onlyTenantId) {
      return {
        results: [
          {
            tenantId: request.signInTenantId,
            tenantName: undefined,
            status: 'retry_later',
            code: listed.failure.code,
            message:
              'We could not ask Azure which directories you work in. Nothing was changed; open your link again in a few minutes.',
          },
        ],
        cache,
      };
    }
  } else if (!request.onlyTenantId) {
    return {
      results: [
        fromTokenFailure({ tenantId: request.signInTenantId, tenantName: undefined }, discovery.failure),
      ],
      cache,
    };
  }

  const own = deps.partner.ownTenantId.toLowerCase();
  const nameOf = (tenantId: string) =>
    reachable.find((t) => t.tenantId.toLowerCase() === tenantId)?.displayName;
  const targets = request.onlyTenantId
    ? [request.onlyTenantId.toLowerCase()]
    : reachable.map((t) => t.tenantId.toLowerCase()).filter((id) => id !== own);

  const results: TenantResult[] = [];
  for (const tenantId of targets) {
    const tenant = { tenantId, tenantName: nameOf(tenantId) };
    const access = await token(tenantId);
    if (!access.ok) {
      results.push(fromTokenFailure(tenant, access.failure));
      continue;
    }
    const outcome = await linkTenant(deps.arm, access.value.token, {
      target: request.target,
      partner: deps.partner,
      replaceOtherPartner: request.replaceIn.includes(tenantId),
    });
    if (outcome.status === 'linked' || outcome.status === 'already_linked' || outcome.status === 'replaced') {
      await deps.associations.recordLink({
        consultantId: request.consultantId,
        tenantId,
        tenantName: tenant.tenantName,
        objectId: access.value.objectId,
        partnerId: outcome.partnerId,
        previousPartnerId: outcome.previousPartnerId,
        at: deps.clock.now(),
      });
    }
    results.push(fromLinkOutcome(tenant, outcome));
  }

  for (const expected of request.expectedTenantIds.map((id) => id.toLowerCase())) {
    if (request.onlyTenantId || expected === own || targets.includes(expected)) continue;
    results.push({
      tenantId: expected,
      tenantName: undefined,
      status: 'not_reachable',
      message:
        'Your admin expected you to work here, but this account has no access to this directory. Ask the customer to invite this account, or sign in with the account you use there.',
    });
  }
  if (results.length === 0) {
    results.push({
      tenantId: request.signInTenantId,
      tenantName: undefined,
      status: 'not_reachable',
      message:
        'This account cannot reach any customer directory yet, so there was nothing to link. Once a customer invites you, open your link again.',
    });
  }
  return { results, cache };
}
