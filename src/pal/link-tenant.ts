import type { ArmFailure, BearerToken, ResourceManager } from '../azure/resource-manager.ts';
import { isTransient } from '../azure/resource-manager.ts';
import { decideLink, type PartnerIds } from './decide.ts';

export type TenantLinkOutcome =
  | { status: 'linked'; partnerId: string; previousPartnerId: null }
  | { status: 'already_linked'; partnerId: string; previousPartnerId: null }
  | { status: 'replaced'; partnerId: string; previousPartnerId: string }
  | { status: 'needs_confirmation'; currentPartnerId: string; currentPartnerName: string | undefined }
  | { status: 'failed'; reason: LinkFailureReason; failure: ArmFailure | undefined; message: string };

export type LinkFailureReason =
  | 'partner_id_invalid'
  | 'csp_session'
  | 'transient'
  | 'not_verified'
  | 'unexpected';

/**
 * Sets PAL for the identity behind `token` in its tenant: read the current link, decide, write, and read
 * again to verify. Another partner's ID is replaced only with `replaceOtherPartner` (the consultant said
 * yes). Never throws for Azure's answers; the outcome says what happened in words a page can use.
 */
export async function linkTenant(
  arm: ResourceManager,
  token: BearerToken,
  input: { target: string; partner: PartnerIds; replaceOtherPartner: boolean },
): Promise<TenantLinkOutcome> {
  const current = await arm.getPartnerLink(token);
  if (!current.ok) return failed(current.failure);
  const active = current.value && current.value.state !== 'Deleted' ? current.value : null;
  const decision = decideLink(active?.partnerId ?? null, input.target, input.partner);

  if (decision.action === 'keep')
    return { status: 'already_linked', partnerId: input.target, previousPartnerId: null };
  if (decision.action === 'ask' && !input.replaceOtherPartner) {
    return {
      status: 'needs_confirmation',
      currentPartnerId: decision.from,
      currentPartnerName: active?.partnerName,
    };
  }

  const write =
    decision.action === 'create'
      ? await arm.createPartnerLink(token, input.target)
      : await arm.updatePartnerLink(token, input.target);
  if (!write.ok) return failed(write.failure);

  const verify = await arm.getPartnerLink(token);
  if (!verify.ok) return failed(verify.failure);
  if (verify.value?.partnerId !== input.target || verify.value.state === 'Deleted') {
    return {
      status: 'failed',
      reason: 'not_verified',
      failure: undefined,
      message: `Azure accepted the change but reads back ${verify.value?.partnerId ?? 'no link'}`,
    };
  }
  return decision.action === 'create'
    ? { status: 'linked', partnerId: input.target, previousPartnerId: null }
    : { status: 'replaced', partnerId: input.target, previousPartnerId: decision.from };
}

function failed(failure: ArmFailure): TenantLinkOutcome {
  const reason: LinkFailureReason =
    failure.kind === 'invalid_partner_id'
      ? 'partner_id_invalid'
      : failure.kind === 'csp_session'
        ? 'csp_session'
        : isTransient(failure)
          ? 'transient'
          : 'unexpected';
  return { status: 'failed', reason, failure, message: failure.message };
}
