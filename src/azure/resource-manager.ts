/**
 * The port to Azure Resource Manager: the calls PAL Manager makes, with outcomes as values.
 * "Not linked", "throttled" and "consent needed" are normal answers from Azure, not exceptions; callers
 * decide what they mean. The adapter (arm-client.ts) uses Microsoft's SDKs; tests may fake this port.
 */
export interface BearerToken {
  token: string;
  expiresOnTimestamp: number;
}

export type ArmFailureKind =
  | 'invalid_partner_id'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'csp_session'
  | 'throttled'
  | 'unavailable'
  | 'network'
  | 'unexpected';

export interface ArmFailure {
  kind: ArmFailureKind;
  status: number | undefined;
  /** Azure's error code, e.g. `PartnerIdInvalid`. */
  code: string | undefined;
  message: string;
  retryAfterSeconds: number | undefined;
}

export type ArmResult<T> = { ok: true; value: T } | { ok: false; failure: ArmFailure };

/** The failures a later attempt may fix by itself: never a reason for a negative verdict. */
export function isTransient(failure: ArmFailure): boolean {
  return failure.kind === 'throttled' || failure.kind === 'unavailable' || failure.kind === 'network';
}

export interface PartnerLink {
  partnerId: string;
  partnerName: string | undefined;
  tenantId: string | undefined;
  objectId: string | undefined;
  state: string | undefined;
  updatedTime: string | undefined;
}

export interface TenantInfo {
  tenantId: string;
  displayName: string | undefined;
  defaultDomain: string | undefined;
  category: string | undefined;
}

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string | undefined;
  state: string | undefined;
}

export interface RoleAssignmentInfo {
  id: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string | undefined;
}

export interface RoleDefinitionInfo {
  id: string;
  roleName: string;
  roleType: string;
  permissions: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }[];
}

export interface ResourceManager {
  /** The caller's current PAL link in the token's tenant; `null` when there is none. */
  getPartnerLink(token: BearerToken): Promise<ArmResult<PartnerLink | null>>;
  createPartnerLink(token: BearerToken, partnerId: string): Promise<ArmResult<PartnerLink>>;
  /** Re-points an existing link (PATCH); fails with `not_found` when there is no link. */
  updatePartnerLink(token: BearerToken, partnerId: string): Promise<ArmResult<PartnerLink>>;
  listTenants(token: BearerToken): Promise<ArmResult<TenantInfo[]>>;
  listSubscriptions(token: BearerToken): Promise<ArmResult<SubscriptionInfo[]>>;
  /** Active role assignments of the object in the subscription, group memberships included. */
  listRoleAssignments(
    token: BearerToken,
    subscriptionId: string,
    objectId: string,
  ): Promise<ArmResult<RoleAssignmentInfo[]>>;
  getRoleDefinition(
    token: BearerToken,
    roleDefinitionId: string,
  ): Promise<ArmResult<RoleDefinitionInfo | null>>;
}
