import { AsyncLocalStorage } from 'node:async_hooks';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ACEProvisioningManagementPartnerAPI } from '@azure/arm-managementpartner';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import { type Pipeline, type PipelineRetryOptions, RestError } from '@azure/core-rest-pipeline';
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
  /** How long one attempt may wait for an answer before it is abandoned (and retried); default 60 s. */
  attemptTimeoutMs?: number;
}

/**
 * The SDK sends with no timeout at all: a Resource Manager that accepts a request and never answers
 * would hold the call (and a health-check slot, or a consultant's page) forever. ARM answers in well
 * under a second normally; a minute is generous, and with the retries a call still ends in minutes.
 */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

/** The SDKs insist on a credential; theirs is removed from every pipeline (see `callerBearer`). */
const noCredential: TokenCredential = {
  getToken: async () => {
    throw new Error('the Resource Manager clients take the caller’s token from the call, not a credential');
  },
};

/** What the SDK names its bearer-token policy; it caches the first token for the client's life. */
const SDK_BEARER_POLICY = 'bearerTokenAuthenticationPolicy';

/**
 * The SDK clients are built once and shared by every call; each call's token (a consultant's, from
 * their MSAL cache) travels in the call's async context instead. The SDK's own bearer policy would
 * cache one token for every later request of the client, so it is swapped for one that signs each
 * request with the token of the call it belongs to, and refuses a request that has none.
 */
function callerBearer(pipeline: Pipeline, current: AsyncLocalStorage<string>): void {
  if (pipeline.removePolicy({ name: SDK_BEARER_POLICY }).length === 0) {
    throw new Error(`the Azure SDK pipeline has no ${SDK_BEARER_POLICY} to replace`);
  }
  pipeline.addPolicy({
    name: 'callerBearerTokenPolicy',
    sendRequest(request, next) {
      const authorization = current.getStore();
      if (!authorization) throw new Error('a Resource Manager request outside of a call with a token');
      if (!request.url.toLowerCase().startsWith('https://')) {
        throw new Error(
          'Bearer token authentication is not permitted for non-TLS protected (non-https) URLs.',
        );
      }
      request.headers.set('Authorization', authorization);
      return next(request);
    },
  });
}

/**
 * Gives every attempt a deadline. The SDK aborts an attempt past `request.timeout` with an AbortError,
 * which its retry policy passes straight up (it retries only RestErrors); this policy sits after the
 * retry phase and turns that abort into the network error it is (ETIMEDOUT), so it is retried with
 * back-off like a reset connection, and reported as a network failure when the retries run out.
 */
function attemptDeadline(pipeline: Pipeline, timeoutMs: number): void {
  pipeline.addPolicy(
    {
      name: 'attemptDeadlinePolicy',
      async sendRequest(request, next) {
        if (!request.timeout) request.timeout = timeoutMs;
        try {
          return await next(request);
        } catch (error) {
          const aborted = error instanceof Error && error.name === 'AbortError';
          if (!aborted || request.abortSignal?.aborted) throw error;
          throw new RestError(`Resource Manager did not answer within ${request.timeout} ms`, {
            code: 'ETIMEDOUT',
            request,
          });
        }
      },
    },
    { afterPhase: 'Retry' },
  );
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
  // The call's `Authorization` header value, built once per token (an association's calls share one).
  const callerToken = new AsyncLocalStorage<string>();
  const headers = new WeakMap<BearerToken, string>();
  const authorizationOf = (token: BearerToken) => {
    let header = headers.get(token);
    if (header === undefined) {
      header = `Bearer ${token.token}`;
      headers.set(token, header);
    }
    return header;
  };
  const partnerClient = new ACEProvisioningManagementPartnerAPI(noCredential, common);
  const subscriptionClient = new SubscriptionClient(noCredential, common);
  // Role assignments are listed by scope, so one client serves every subscription; the client's own
  // subscription ID is never used (role definitions are read by their full ID).
  const authorizationClient = new AuthorizationManagementClient(
    noCredential,
    '00000000-0000-0000-0000-000000000000',
    common,
  );
  for (const client of [partnerClient, subscriptionClient, authorizationClient]) {
    callerBearer(client.pipeline, callerToken);
    attemptDeadline(client.pipeline, options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
  }
  /** Runs one call (paging included) with `token` signing its requests. */
  const as = <T>(token: BearerToken, call: () => Promise<T>) =>
    attempt(() => callerToken.run(authorizationOf(token), call));

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
      const result = await as(token, () => partnerClient.partners.get());
      if (result.ok) return { ok: true, value: toLink(result.value) };
      // 404 ManagementPartnerNotFound is the normal answer for "not linked yet".
      if (result.failure.kind === 'not_found') return { ok: true, value: null };
      return result;
    },
    createPartnerLink: async (token, partnerId) =>
      mapOk(await as(token, () => partnerClient.partner.create(partnerId)), toLink),
    updatePartnerLink: async (token, partnerId) =>
      mapOk(await as(token, () => partnerClient.partner.update(partnerId)), toLink),
    listTenants: (token) =>
      as(token, async () => {
        const tenants: TenantInfo[] = [];
        for await (const tenant of subscriptionClient.tenants.list()) {
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
      as(token, async () => {
        const found: SubscriptionInfo[] = [];
        for await (const sub of subscriptionClient.subscriptions.list()) {
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
      as(token, async () => {
        const found: RoleAssignmentInfo[] = [];
        // The same request as listForSubscription: GET /subscriptions/{id}/providers/…/roleAssignments.
        // assignedTo() expands group membership transitively; the SDK encodes the filter itself.
        const scope = `subscriptions/${encodeURIComponent(subscriptionId)}`;
        const pages = authorizationClient.roleAssignments.listForScope(scope, {
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
      const result = await as(token, () =>
        authorizationClient.roleDefinitions.getById(withoutLeadingSlash(roleDefinitionId)),
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
