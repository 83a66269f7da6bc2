import type { ResourceManager } from '../azure/resource-manager.ts';
import { decideVerdict } from '../health/verdict.ts';
import type { PartnerIds } from '../pal/decide.ts';
import { linkTenant } from '../pal/link-tenant.ts';
import type { Verdict } from '../pal/verdicts.ts';
import type { AutomationTokens } from './credentials.ts';
import type { IdentityCredential } from './model.ts';
import type { AutomationStore } from './store.ts';
import { verdictKind } from './token-failure.ts';

export type AutomationLinkResult =
  | {
      status: 'linked' | 'already_linked' | 'replaced';
      tenantId: string;
      objectId: string;
      partnerId: string;
      previousPartnerId: string | null;
      message: string;
    }
  | { status: 'needs_confirmation'; currentPartnerId: string; message: string }
  | {
      status: 'failed';
      /** The health verdict this failure would give; `check_failed` for what may pass by itself. */
      verdict: Verdict;
      code: string;
      message: string;
    };

export interface AutomationLinkDeps {
  tokens: AutomationTokens;
  arm: ResourceManager;
  store: Pick<AutomationStore, 'recordLink' | 'update'>;
  clock: { now(): Date };
  partner: PartnerIds;
}

/**
 * Links an automation identity with its own token: the same GET → PUT / keep / PATCH decision as for
 * consultants (pal/link-tenant.ts), in the one tenant its token is for, recorded as an association
 * of kind `service_principal`. Never throws for Azure's answers.
 */
export async function linkAutomationIdentity(
  deps: AutomationLinkDeps,
  identity: { credential: IdentityCredential; locationId: string },
  options: { replaceOtherPartner: boolean },
): Promise<AutomationLinkResult> {
  const access = await deps.tokens.token(identity.credential);
  if (!access.ok) {
    const { failure } = access;
    return {
      status: 'failed',
      verdict: decideVerdict({
        token: { failed: verdictKind(failure.kind) },
        armFailed: false,
        link: undefined,
        roles: undefined,
      }),
      code: failure.errorCode,
      message: failure.message,
    };
  }
  const { token, tenantId, objectId } = access.value;
  const outcome = await linkTenant(deps.arm, token, {
    target: identity.locationId,
    partner: deps.partner,
    replaceOtherPartner: options.replaceOtherPartner,
  });
  if (outcome.status === 'needs_confirmation') {
    return {
      status: 'needs_confirmation',
      currentPartnerId: outcome.currentPartnerId,
      message: `This identity is linked to another partner's ID ${outcome.currentPartnerId}${outcome.currentPartnerName ? ` (${outcome.currentPartnerName})` : ''}. Nothing was changed; link again with replaceOtherPartner (CLI: --replace-other-partner) if the identity now works for you.`,
    };
  }
  if (outcome.status === 'failed') {
    return {
      status: 'failed',
      verdict: 'check_failed',
      code: outcome.failure?.code ?? outcome.reason,
      message:
        outcome.reason === 'partner_id_invalid'
          ? `Azure refused the partner ID ${identity.locationId} (PartnerIdInvalid): check the location IDs in the configuration.`
          : outcome.message,
    };
  }
  await deps.store.recordLink({
    identityId: identity.credential.id,
    tenantId,
    objectId,
    partnerId: outcome.partnerId,
    previousPartnerId: outcome.previousPartnerId,
    at: deps.clock.now(),
  });
  await deps.store.update(identity.credential.id, {
    object_id: objectId,
    updated_at: deps.clock.now().toISOString(),
  });
  const message =
    outcome.status === 'linked'
      ? `Linked to partner ID ${outcome.partnerId}.`
      : outcome.status === 'already_linked'
        ? `Already linked to partner ID ${outcome.partnerId}; nothing changed.`
        : `Re-pointed from ${outcome.previousPartnerId} to partner ID ${outcome.partnerId}.`;
  return {
    status: outcome.status,
    tenantId,
    objectId,
    partnerId: outcome.partnerId,
    previousPartnerId: outcome.previousPartnerId,
    message,
  };
}
