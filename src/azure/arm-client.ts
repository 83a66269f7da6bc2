import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ACEProvisioningManagementPartnerAPI } from '@azure/arm-managementpartner';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { classifyArmError } from './arm-errors.ts';
import type {
  ArmResult,
  BearerToken,
  PartnerLink,
  ResourceManager,
  RoleAssignmentInfo,
  RoleDefinitionInfo,
  SubscriptionInfo,
  TenantInfo,
} from './resource-manager.ts';

export interface ArmClientOptions {
  endpoint: string;
  /** The SDK pipeline's retries: 429/503 honour Retry-After, 5xx and network errors back off. */
  retry?: PipelineRetryOptions;
}

/** Tokens come from the consultant's MSAL cache; the SDKs only need them wrapped. */
function staticCredential(token: BearerToken): TokenCredential {
  return { getToken: async () => token };
}

async function attempt<T>(call: () => Promise<T>): Promise<ArmResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, failure: classifyArmError(error) };
  }
}

/** ARM IDs arrive with a leading slash; the SDK would double it in a path. */
const withoutLeadingSlash = (id: string) => id.replace(/^\/+/, '');

/** The Resource Manager port over Microsoft's SDKs, pointed at `endpoint` (Azure or the sandbox). */
export function createArmClient(options: ArmClientOptions): ResourceManager {
  const common = {
    endpoint: options.endpoint,
    // The token is acquired for ARM's audience whatever the endpoint; the SDK would otherwise derive
    // the scope from the endpoint (wrong for the sandbox and for sovereign clouds behind a proxy).
    credentialScopes: ['https://management.azure.com/.default'],
    retryOptions: options.retry ?? { maxRetries: 3 },
  };
  const partners = (token: BearerToken) =>
    new ACEProvisioningManagementPartnerAPI(staticCredential(token), common);
  const subscriptions = (token: BearerToken) => new SubscriptionClient(staticCredential(token), common);
  const authorization = (token: BearerToken, subscriptionId: string) =>
    new AuthorizationManagementClient(staticCredential(token), subscriptionId, common);

  const toLink = (response: {
    partnerId?: string;
    partnerName?: string;
    tenantId?: string;
    objectId?: string;
    state?: string;
    updatedTime?: Date;
    name?: string;
  }): PartnerLink => ({
    partnerId: response.partnerId ?? response.name ?? '',
    partnerName: response.partnerName || undefined,
    tenantId: response.tenantId,
    objectId: response.objectId,
    state: response.state,
    updatedTime: response.updatedTime?.toISOString(),
  });

  return {
    async getPartnerLink(token) {
      const result = await attempt(() => partners(token).partners.get());
      if (result.ok) return { ok: true, value: toLink(result.value) };
      // 404 ManagementPartnerNotFound is the normal answer for "not linked yet".
      if (result.failure.kind === 'not_found') return { ok: true, value: null };
      return result;
    },
    createPartnerLink: async (token, partnerId) =>
      mapOk(await attempt(() => partners(token).partner.create(partnerId)), toLink),
    updatePartnerLink: async (token, partnerId) =>
      mapOk(await attempt(() => partners(token).partner.update(partnerId)), toLink),
    listTenants: (token) =>
      attempt(async () => {
        const tenants: TenantInfo[] = [];
        for await (const tenant of subscriptions(token).tenants.list()) {
          if (!tenant.tenantId) continue;
          tenants.push({
            tenantId: tenant.tenantId,
            displayName: tenant.displayName,
            defaultDomain: tenant.defaultDomain,
            category: tenant.tenantCategory,
          });
        }
        return tenants;
      }),
    listSubscriptions: (token) =>
      attempt(async () => {
        const found: SubscriptionInfo[] = [];
        for await (const sub of subscriptions(token).subscriptions.list()) {
          if (sub.subscriptionId)
            found.push({
              subscriptionId: sub.subscriptionId,
              displayName: sub.displayName,
              state: sub.state,
            });
        }
        return found;
      }),
    listRoleAssignments: (token, subscriptionId, objectId) =>
      attempt(async () => {
        const found: RoleAssignmentInfo[] = [];
        // assignedTo() expands group membership transitively; the SDK encodes the filter itself.
        const pages = authorization(token, subscriptionId).roleAssignments.listForSubscription({
          filter: `assignedTo('${objectId}')`,
        });
        for await (const assignment of pages) {
          found.push({
            id: assignment.id ?? '',
            scope: assignment.scope ?? `/subscriptions/${subscriptionId}`,
            roleDefinitionId: assignment.roleDefinitionId ?? '',
            principalId: assignment.principalId ?? '',
            principalType: assignment.principalType,
          });
        }
        return found;
      }),
    async getRoleDefinition(token, roleDefinitionId) {
      const subscriptionId =
        /\/subscriptions\/([^/]+)/i.exec(roleDefinitionId)?.[1] ?? '00000000-0000-0000-0000-000000000000';
      const result = await attempt(() =>
        authorization(token, subscriptionId).roleDefinitions.getById(withoutLeadingSlash(roleDefinitionId)),
      );
      if (!result.ok) return result.failure.kind === 'not_found' ? { ok: true, value: null } : result;
      const definition = result.value;
      const value: RoleDefinitionInfo = {
        id: definition.id ?? roleDefinitionId,
        roleName: definition.roleName ?? '',
        roleType: definition.roleType ?? '',
        permissions: (definition.permissions ?? []).map((p) => ({
          actions: p.actions ?? [],
          notActions: p.notActions ?? [],
          dataActions: p.dataActions ?? [],
          notDataActions: p.notDataActions ?? [],
        })),
      };
      return { ok: true, value };
    },
  };
}

function mapOk<T, U>(result: ArmResult<T>, map: (value: T) => U): ArmResult<U> {
  return result.ok ? { ok: true, value: map(result.value) } : result;
}
