import type { TokenFailure } from '../azure/identity-platform.ts';
import type { TenantLinkOutcome } from '../pal/link-tenant.ts';

/** One row of the consultant's result page: what happened in one customer tenant, in plain words. */
export interface TenantResult {
  tenantId: string;
  tenantName: string | undefined;
  status:
    | 'linked'
    | 'already_linked'
    | 'replaced'
    | 'needs_confirmation'
    | 'kept_other_partner'
    | 'consent_required'
    | 'sign_in_required'
    | 'retry_later'
    | 'not_reachable'
    | 'failed';
  partnerId?: string | undefined;
  previousPartnerId?: string | null | undefined;
  otherPartner?: { partnerId: string; partnerName: string | undefined } | undefined;
  message: string;
  /** For admins and audit: Azure's or the identity platform's code, never a token. */
  code?: string | undefined;
}

/** Rows that leave something for the consultant to do: the invitation stays usable while any remain. */
export function needsFollowUp(result: TenantResult): boolean {
  return ['needs_confirmation', 'consent_required', 'sign_in_required', 'retry_later'].includes(
    result.status,
  );
}

export function fromLinkOutcome(
  tenant: { tenantId: string; tenantName: string | undefined },
  outcome: TenantLinkOutcome,
): TenantResult {
  switch (outcome.status) {
    case 'linked':
      return {
        ...tenant,
        status: 'linked',
        partnerId: outcome.partnerId,
        message: `Linked to partner ID ${outcome.partnerId}.`,
      };
    case 'already_linked':
      return {
        ...tenant,
        status: 'already_linked',
        partnerId: outcome.partnerId,
        message: `Already linked to partner ID ${outcome.partnerId}; nothing to change.`,
      };
    case 'replaced':
      return {
        ...tenant,
        status: 'replaced',
        partnerId: outcome.partnerId,
        previousPartnerId: outcome.previousPartnerId,
        message: `Changed from partner ID ${outcome.previousPartnerId} to ${outcome.partnerId}.`,
      };
    case 'needs_confirmation':
      return {
        ...tenant,
        status: 'needs_confirmation',
        otherPartner: { partnerId: outcome.currentPartnerId, partnerName: outcome.currentPartnerName },
        message: `Your account here is linked to another partner's ID (${outcome.currentPartnerId}${outcome.currentPartnerName ? `, ${outcome.currentPartnerName}` : ''}). Only you can decide to replace it.`,
      };
    case 'failed':
      return { ...tenant, ...failureWords(outcome.reason), code: outcome.failure?.code ?? outcome.reason };
  }
}

function failureWords(
  reason: Extract<TenantLinkOutcome, { status: 'failed' }>['reason'],
): Pick<TenantResult, 'status' | 'message'> {
  switch (reason) {
    case 'transient':
      return {
        status: 'retry_later',
        message:
          'Azure is busy or unavailable right now. Nothing was changed; open your link again in a few minutes.',
      };
    case 'partner_id_invalid':
      return {
        status: 'failed',
        message:
          'Azure does not accept the partner ID configured for your location. Your admins have been alerted; there is nothing for you to do.',
      };
    case 'csp_session':
      return {
        status: 'failed',
        message:
          'Azure refused because this sign-in came through a CSP (Cloud Solution Provider) relationship, which cannot carry a partner link. Sign in with the account you were given in this customer’s directory instead.',
      };
    case 'not_verified':
      return {
        status: 'retry_later',
        message:
          'Azure accepted the link but did not show it when we checked. Open your link again in a few minutes to confirm.',
      };
    default:
      return {
        status: 'failed',
        message:
          'Azure answered in a way we did not expect. Nothing was changed here; your admins can see the details.',
      };
  }
}

export function fromTokenFailure(
  tenant: { tenantId: string; tenantName: string | undefined },
  failure: TokenFailure,
): TenantResult {
  const code = failure.aadsts ? `AADSTS${failure.aadsts}` : failure.errorCode;
  switch (failure.kind) {
    case 'consent_required':
      return {
        ...tenant,
        status: 'consent_required',
        code,
        message: 'This customer’s directory only lets its administrators approve apps like this one.',
      };
    case 'interaction_required':
      return {
        ...tenant,
        status: 'sign_in_required',
        code,
        message:
          'This directory asks you to sign in to it directly (for example for multi-factor authentication).',
      };
    case 'account_gone':
      return {
        ...tenant,
        status: 'not_reachable',
        code,
        message: 'Your account cannot sign in to this directory any more: it was removed or disabled there.',
      };
    case 'blocked_by_policy':
      return {
        ...tenant,
        status: 'failed',
        code,
        message:
          'A sign-in policy of this customer blocks access from here (Conditional Access or cross-tenant settings).',
      };
    case 'transient':
      return {
        ...tenant,
        status: 'retry_later',
        code,
        message:
          'Microsoft sign-in is busy right now. Nothing was changed; open your link again in a few minutes.',
      };
    case 'app_misconfigured':
      return {
        ...tenant,
        status: 'failed',
        code,
        message: 'PAL Manager’s own sign-in configuration has a problem. Your admins have been alerted.',
      };
    default:
      return {
        ...tenant,
        status: 'failed',
        code,
        message:
          'Sign-in to this directory failed for a reason we did not recognise. Your admins can see the details.',
      };
  }
}
