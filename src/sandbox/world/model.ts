/**
 * The simulated Microsoft world the sandbox serves: tenants, people and their per-tenant identities,
 * groups, subscriptions, roles, role assignments and PAL links. Plain data, so it can be saved as JSON
 * and changed by the control API; behaviour lives in `world.ts`.
 */
export interface SandboxTenant {
  id: string;
  displayName: string;
  defaultDomain: string;
  /** The partner's own tenant (where admins and consultants have their home accounts). */
  isPartnerTenant: boolean;
  /** Users may not consent to apps here; only an admin-consent grant lets tokens be issued. */
  userConsentBlocked: boolean;
  adminConsentGranted: boolean;
}

/** A person with a home account. */
export interface SandboxUser {
  /** Object ID in the home tenant. */
  id: string;
  homeTenantId: string;
  /** Sign-in name and mail address (preferred_username). */
  upn: string;
  displayName: string;
  disabled: boolean;
  /** Refresh tokens issued before this instant are refused with AADSTS50173 (sessions revoked). */
  tokensValidAfter: string | null;
  /** A knob: when set, every refresh grant for this user fails with this AADSTS code. */
  refreshError: number | null;
  /**
   * App roles of our app assigned to the person in the partner's tenant (e.g. `PAL.Admin`): they reach
   * the `roles` claim of ID tokens issued there. Absent in worlds saved before roles existed.
   */
  appRoles?: string[];
}

/** The user's identity inside one tenant: their home membership or a guest object. */
export interface TenantIdentity {
  tenantId: string;
  userId: string;
  /** Object ID in that tenant: the user's own ID at home, a different one as a guest. */
  objectId: string;
  kind: 'member' | 'guest';
  /** A guest the customer removed: the account can no longer get tokens for this tenant. */
  removed: boolean;
}

export interface SandboxGroup {
  id: string;
  tenantId: string;
  displayName: string;
  /** Object IDs of users and of nested groups. */
  memberIds: string[];
}

export interface SandboxSubscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  state: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';
}

export interface RolePermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface SandboxRoleDefinition {
  /** The GUID; ARM returns it in subscription or tenant form. */
  id: string;
  roleName: string;
  roleType: 'BuiltInRole' | 'CustomRole';
  description: string;
  permissions: RolePermission[];
  /** Custom roles belong to one tenant; built-in roles to all (null). */
  tenantId: string | null;
}

export interface SandboxRoleAssignment {
  /** The assignment's GUID (its `name`). */
  id: string;
  tenantId: string;
  /** `/subscriptions/{id}` or deeper (resource group, resource). */
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  createdOn: string;
  /** Object ID of whoever made the assignment (ARM's `createdBy`); absent → null in responses. */
  createdBy?: string;
}

/** One identity's Partner Admin Link in one tenant. Kept after a DELETE, as the service does. */
export interface SandboxPartnerLink {
  tenantId: string;
  objectId: string;
  partnerId: string;
  etag: number;
  version: number;
  createdTime: string;
  updatedTime: string;
  state: 'Active' | 'Deleted';
}

/** A partner ID the ManagementPartner service accepts, with the partner's name. */
export interface KnownPartnerId {
  partnerId: string;
  partnerName: string;
}

export interface SandboxKnobs {
  /** Delay added to every Resource Manager call, in milliseconds. */
  latencyMs: number;
  /** Share (0–1) of Resource Manager calls answered 429 with Retry-After. */
  throttleRate: number;
  retryAfterSeconds: number;
  /** Share (0–1) of Resource Manager calls answered 503/500. */
  serverErrorRate: number;
  /** Which server error to answer: 503 (with Retry-After) or 500; absent → the dice pick either. */
  serverErrorStatus?: 500 | 503;
  /**
   * Share (0–1) of Resource Manager calls whose connection is destroyed before any answer (the client
   * sees ECONNRESET / "socket hang up"). Absent in worlds saved before the knob existed: 0.
   */
  resetRate?: number;
  /**
   * Share (0–1) of Resource Manager calls never answered: the connection stays open, silent, until the
   * client gives up (its own timeout) or `hangMs` passes, then it is closed without an answer.
   */
  timeoutRate?: number;
  /** How long an unanswered call holds its connection before the sandbox drops it (default 120 s). */
  hangMs?: number;
  /** Seed of the fault dice, so a failing run can be repeated. */
  seed: number;
}

/**
 * An app registration other than PAL Manager's own, with its service principal in its tenant: what
 * pipelines (and, under Lighthouse, the partner's own automation) sign in as with client credentials.
 */
export interface SandboxServicePrincipal {
  clientId: string;
  /** The tenant its service principal lives in; a token request at any other tenant gets AADSTS700016. */
  tenantId: string;
  displayName: string;
  /** The service principal's object ID (the `oid` of its tokens, the principal of its role assignments). */
  objectId: string;
  /** Client secrets, as SHA-256 hex (never kept in clear); an expired one answers AADSTS7000222. */
  secrets: { id: string; sha256: string; hint: string; expiresAt: string }[];
  /** Certificates (PEM) whose keys may sign client assertions. */
  certificates: { pem: string; expiresAt: string }[];
  /** Deleted from the tenant: every token request gets AADSTS700016. */
  removed: boolean;
}

export interface WorldState {
  tenants: SandboxTenant[];
  users: SandboxUser[];
  identities: TenantIdentity[];
  groups: SandboxGroup[];
  subscriptions: SandboxSubscription[];
  roleDefinitions: SandboxRoleDefinition[];
  roleAssignments: SandboxRoleAssignment[];
  partnerLinks: SandboxPartnerLink[];
  knownPartnerIds: KnownPartnerId[];
  knobs: SandboxKnobs;
  /** Absent in worlds saved before automation identities existed. */
  servicePrincipals?: SandboxServicePrincipal[];
}

export const DEFAULT_KNOBS: SandboxKnobs = {
  latencyMs: 0,
  throttleRate: 0,
  retryAfterSeconds: 1,
  serverErrorRate: 0,
  resetRate: 0,
  timeoutRate: 0,
  hangMs: 120_000,
  seed: 1,
};
