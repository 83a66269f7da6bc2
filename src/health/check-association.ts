import type { IdentityPlatform, TokenFailure } from '../azure/identity-platform.ts';
import type { ArmFailure, BearerToken, ResourceManager } from '../azure/resource-manager.ts';
import type { TokenCacheStore } from '../azure/token-cache-store.ts';
import { linkMatches } from '../pal/decide.ts';
import type { KeyedLock } from './concurrency.ts';
import type { RoleDefinitionCache } from './role-definitions.ts';
import { builtInRole, classifyDefinition, roleGuid } from './roles.ts';
import { type CheckFacts, decideVerdict, type Verdict } from './verdict.ts';

/** One association as the check needs it: the link, and whom to act as. */
export interface AssociationToCheck {
  id: string;
  consultantId: string;
  email: string;
  displayName: string;
  tenantId: string;
  tenantName: string | null;
  objectId: string;
  /** MSAL's account key; null when the consultant never completed a sign-in. */
  homeAccountId: string | null;
  /** The consultant's location ID: what the link must carry. */
  expectedPartnerId: string;
  /**
   * `service_principal`: an automation identity's association (src/automation), checked with that
   * identity's own credential. Then `consultantId` holds the identity's ID, `email` and `displayName`
   * describe the app, and `homeAccountId` is null. Absent means a consultant's (`user`).
   */
  kind?: 'user' | 'service_principal';
}

export interface RoleEvidence {
  roleName: string;
  /** The role's GUID (assignments name it in tenant or subscription form). */
  roleDefinitionId: string;
  scope: string;
  eligible: boolean;
  inferred: boolean;
}

/** What admins see behind a verdict. Never a token: only IDs, names, counts and error codes. */
export interface Evidence {
  /** The partner ID the link carries now; null when there is none or it was not read. */
  partnerId: string | null;
  expectedPartnerId: string;
  /** Subscriptions visible to the identity; null when not listed. */
  subscriptions: number | null;
  roles: RoleEvidence[];
  errorCode?: string;
  errorKind?: string;
  message?: string;
  /** Our configuration, not the consultant, needs fixing: admins are alerted. */
  adminAlert?: boolean;
  /**
   * An automation identity checked from the partner's own tenant (Azure Lighthouse): roles it holds
   * through delegations are not role assignments anyone can list from there, so the roles above are
   * not the whole picture (src/automation/check.ts).
   */
  delegatedRolesNotVisible?: boolean;
}

export interface CheckOutcome {
  verdict: Verdict;
  evidence: Evidence;
}

export interface CheckDeps {
  identity: Pick<IdentityPlatform, 'tokenForTenant'>;
  arm: ResourceManager;
  tokenCaches: Pick<TokenCacheStore, 'load' | 'save'>;
  roleDefinitions: RoleDefinitionCache;
  /** Serialises each account's cache refresh and save. */
  accountLock: KeyedLock;
}

/** What a check starts from: nothing found yet, the token assumed good until it fails. */
export function blankCheck(expectedPartnerId: string): { evidence: Evidence; facts: CheckFacts } {
  return {
    evidence: { partnerId: null, expectedPartnerId, subscriptions: null, roles: [] },
    facts: { token: 'ok', armFailed: false, link: undefined, roles: undefined },
  };
}

/**
 * Checks one association (DESIGN §6): a fresh token for the account in that tenant, the PAL link, the
 * subscriptions and the role assignments behind it. At most 2 + subscriptions Resource Manager calls,
 * plus role definitions not in the built-in table (cached per run). Failures are values.
 */
export async function checkAssociation(
  deps: CheckDeps,
  association: AssociationToCheck,
): Promise<CheckOutcome> {
  const { evidence, facts } = blankCheck(association.expectedPartnerId);
  const done = () => ({ verdict: decideVerdict(facts), evidence });

  const acquired = await freshToken(deps, association);
  if (acquired === 'never_signed_in') {
    facts.token = 'never_signed_in';
    evidence.message = 'Never signed in: there is no stored sign-in to check with';
    return done();
  }
  if (!acquired.ok) {
    facts.token = { failed: acquired.failure.kind };
    Object.assign(evidence, tokenFailureEvidence(acquired.failure));
    return done();
  }
  return checkWithToken(deps, acquired.value, association, { evidence, facts });
}

/** Steps 2–4 of the check, once there is a token: the link, the subscriptions, the roles. */
export async function checkWithToken(
  deps: Pick<CheckDeps, 'arm' | 'roleDefinitions'>,
  acquired: { token: BearerToken; objectId: string },
  association: { tenantId: string; expectedPartnerId: string },
  state: { evidence: Evidence; facts: CheckFacts },
): Promise<CheckOutcome> {
  const { evidence, facts } = state;
  const done = () => ({ verdict: decideVerdict(facts), evidence });
  const { token } = acquired;
  const armFailed = (failure: ArmFailure) => {
    facts.armFailed = true;
    Object.assign(evidence, armFailureEvidence(failure));
    return done();
  };

  const link = await deps.arm.getPartnerLink(token);
  if (!link.ok) return armFailed(link.failure);
  // A deleted link is kept by the service with state Deleted: it no longer attributes anything.
  evidence.partnerId = link.value && link.value.state !== 'Deleted' ? link.value.partnerId : null;
  facts.link = linkMatches(evidence.partnerId, association.expectedPartnerId);

  const subscriptions = await deps.arm.listSubscriptions(token);
  if (!subscriptions.ok) return armFailed(subscriptions.failure);
  evidence.subscriptions = subscriptions.value.length;

  // Sequential on purpose: the run's concurrency bounds the calls in flight, not the associations.
  const roles: RoleEvidence[] = [];
  for (const subscription of subscriptions.value) {
    const assignments = await deps.arm.listRoleAssignments(
      token,
      subscription.subscriptionId,
      acquired.objectId,
    );
    // Gone between the two calls: nothing to count there.
    if (!assignments.ok && assignments.failure.kind === 'not_found') continue;
    if (!assignments.ok) return armFailed(assignments.failure);
    for (const assignment of assignments.value) {
      const classified = await classify(deps, token, association.tenantId, assignment.roleDefinitionId);
      if (!classified.ok) return armFailed(classified.failure);
      roles.push({
        ...classified.value,
        roleDefinitionId: roleGuid(assignment.roleDefinitionId),
        scope: assignment.scope,
      });
    }
  }
  evidence.roles = roles;
  facts.roles = roles;
  return done();
}

/** A token with `forceRefresh`: a cached access token would hide a revoked or disabled account. */
async function freshToken(deps: CheckDeps, association: AssociationToCheck) {
  const account = association.homeAccountId;
  if (!account) return 'never_signed_in' as const;
  return deps.accountLock(account, async () => {
    const cache = await deps.tokenCaches.load(account);
    if (!cache) return 'never_signed_in' as const;
    const result = await deps.identity.tokenForTenant({
      cache,
      homeAccountId: account,
      tenantId: association.tenantId,
      forceRefresh: true,
    });
    // The refresh token rotates on every use: keep the new one, even when the call failed.
    if (result.cache && result.cache !== cache)
      await deps.tokenCaches.save(account, association.consultantId, result.cache);
    return result.outcome;
  });
}

async function classify(
  deps: Pick<CheckDeps, 'roleDefinitions'>,
  token: BearerToken,
  tenantId: string,
  roleDefinitionId: string,
) {
  const known = builtInRole(roleDefinitionId);
  if (known) return { ok: true as const, value: known };
  const definition = await deps.roleDefinitions.get(token, tenantId, roleDefinitionId);
  if (!definition.ok) return definition;
  return { ok: true as const, value: classifyDefinition(definition.value) };
}

function tokenFailureEvidence(failure: TokenFailure): Partial<Evidence> {
  return {
    errorCode: failure.aadsts ? `AADSTS${failure.aadsts}` : failure.errorCode,
    errorKind: failure.kind,
    message: failure.message,
    ...(failure.kind === 'app_misconfigured' ? { adminAlert: true } : {}),
  };
}

function armFailureEvidence(failure: ArmFailure): Partial<Evidence> {
  return {
    errorCode: failure.code ?? (failure.status ? `HTTP ${failure.status}` : failure.kind),
    errorKind: failure.kind,
    message: failure.message.slice(0, 500),
  };
}
