import type { ResourceManager } from '../azure/resource-manager.ts';
import {
  type AssociationToCheck,
  blankCheck,
  type CheckOutcome,
  checkWithToken,
} from '../health/check-association.ts';
import type { RoleDefinitionCache } from '../health/role-definitions.ts';
import { type Checkable, parseJson } from '../health/store.ts';
import { decideVerdict } from '../health/verdict.ts';
import type { Db } from '../platform/db/connection.ts';
import type { AutomationTokens } from './credentials.ts';
import { credentialOf } from './model.ts';
import { createAutomationStore } from './store.ts';
import { verdictKind } from './token-failure.ts';

export const LIGHTHOUSE_NOTE =
  "Checked from the partner's own tenant (Azure Lighthouse): roles held through delegations are not role assignments that can be listed from here, so they were not verified. The verdict rests on the PAL link; check the delegation's authorizations for a permanent, incentive-eligible role.";

/** What the health run needs of automation identities: which associations, and how to check one. */
export interface AutomationRunPart {
  checkable(ids?: string[]): Promise<Checkable[]>;
  check(association: AssociationToCheck, roleDefinitions: RoleDefinitionCache): Promise<CheckOutcome>;
}

/**
 * The health check for automation identities: the same verdicts as for consultants (DESIGN §6),
 * through the identity's own fresh token (role assignments for its own object ID). Two differences:
 * a credential an admin must renew is `reauth_required` and an app gone from the tenant
 * `account_revoked` (token-failure.ts); and a Lighthouse identity, checked from the partner's
 * tenant, cannot see its delegated roles, so an empty or Reader-only list never becomes `no_access`
 * or `reader_only` — the verdict rests on the link, and the evidence says so.
 */
export function createAutomationRunPart(deps: {
  db: Db;
  arm: ResourceManager;
  tokens: AutomationTokens;
}): AutomationRunPart {
  const store = createAutomationStore(deps.db);
  return {
    checkable: (ids) => automationCheckable(deps.db, ids),

    async check(association, roleDefinitions) {
      const { evidence, facts } = blankCheck(association.expectedPartnerId);
      const row = await store.get(association.consultantId);
      if (row?.status !== 'active') {
        facts.token = { failed: 'unknown' };
        evidence.errorCode = 'identity_missing';
        evidence.message = 'The automation identity behind this association is no longer registered';
        return { verdict: 'check_failed', evidence };
      }
      const access = await deps.tokens.token(credentialOf(row));
      if (!access.ok) {
        const { failure } = access;
        facts.token = { failed: verdictKind(failure.kind) };
        Object.assign(evidence, {
          errorCode: failure.errorCode,
          errorKind: failure.kind,
          message: failure.message,
          // A transient failure fixes itself; anything else needs an admin (the identity has no person).
          ...(failure.kind === 'transient' ? {} : { adminAlert: true }),
        });
        return { verdict: decideVerdict(facts), evidence };
      }
      const outcome = await checkWithToken({ arm: deps.arm, roleDefinitions }, access.value, association, {
        evidence,
        facts,
      });
      if (row.lighthouse !== 1) return outcome;
      outcome.evidence.delegatedRolesNotVisible = true;
      outcome.evidence.message = LIGHTHOUSE_NOTE;
      if (outcome.verdict === 'no_access' || outcome.verdict === 'reader_only') {
        return { verdict: 'healthy', evidence: outcome.evidence };
      }
      return outcome;
    },
  };
}

/** Active associations of active automation identities, shaped as the run's `Checkable`. */
export async function automationCheckable(db: Db, ids?: string[]): Promise<Checkable[]> {
  if (ids && ids.length === 0) return [];
  let query = db
    .selectFrom('associations')
    .innerJoin('automation_identities', 'automation_identities.id', 'associations.automation_identity_id')
    .select([
      'associations.id',
      'automation_identities.id as identity_id',
      'automation_identities.display_name',
      'automation_identities.client_id',
      'automation_identities.location_id',
      'associations.tenant_id',
      'associations.tenant_name',
      'associations.object_id',
      'associations.verdict',
      'associations.verdict_since',
      'associations.evidence',
    ])
    .where('associations.status', '=', 'active')
    .where('automation_identities.status', '=', 'active');
  if (ids) query = query.where('associations.id', 'in', ids);
  const rows = await query.orderBy('associations.tenant_id').orderBy('associations.id').execute();
  return rows.map((row) => ({
    id: row.id,
    kind: 'service_principal' as const,
    consultantId: row.identity_id,
    email: `app ${row.client_id}`,
    displayName: row.display_name,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    objectId: row.object_id,
    homeAccountId: null,
    expectedPartnerId: row.location_id,
    shown: { verdict: row.verdict, since: row.verdict_since, evidence: parseJson(row.evidence) },
  }));
}
