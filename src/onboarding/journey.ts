import { aadstsFromText } from '../azure/aadsts.ts';
import type { IdentityPlatform } from '../azure/identity-platform.ts';
import type { TokenCacheStore } from '../azure/token-cache-store.ts';
import type { InvitationService } from '../invitations/service.ts';
import type { Logger } from '../platform/logger.ts';
import type { AttemptStore } from './attempts.ts';
import type { ConsultantAccess, InvitedConsultant } from './consultants.ts';
import type { LinkRequest } from './link-everywhere.ts';
import type { ProblemKey } from './problems.ts';
import { fromTokenFailure, needsFollowUp, type TenantResult } from './tenant-result.ts';

export interface AuditEvent {
  actor: string;
  action: string;
  subjectType?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
  requestId?: string;
}

export interface JourneyDeps {
  invitations: InvitationService;
  attempts: AttemptStore;
  identity: IdentityPlatform;
  tokenCaches: TokenCacheStore;
  consultants: ConsultantAccess;
  link: (request: LinkRequest) => Promise<{ results: TenantResult[]; cache: string }>;
  audit: { record(event: AuditEvent): Promise<unknown> };
  logger: Logger;
  clock: { now(): Date };
}

const LINK_PROBLEMS = {
  expired: 'link_expired',
  completed: 'link_used',
  superseded: 'link_superseded',
  revoked: 'link_revoked',
} as const satisfies Record<string, ProblemKey>;

export type Problem = { kind: 'problem'; problem: ProblemKey; detail?: string; invitationId?: string };

export type ResultView = {
  kind: 'result';
  attemptId: string;
  consultant: InvitedConsultant;
  results: TenantResult[];
  completed: boolean;
};

export interface CallbackInput {
  state: string | undefined;
  code: string | undefined;
  error: string | undefined;
  errorDescription: string | undefined;
  browserSecret: string | undefined;
  requestId: string;
}

/**
 * The consultant's journey (DESIGN §4): landing → sign-in → callback → PAL in every tenant → result.
 * It orchestrates invitations, the identity platform and the PAL pieces; none of them call back here.
 */
export function createJourney(deps: JourneyDeps) {
  const audit = (action: string, subjectId: string, detail: Record<string, unknown>, requestId?: string) =>
    deps.audit.record({
      actor: 'consultant',
      action,
      subjectType: 'invitation',
      subjectId,
      detail,
      ...(requestId ? { requestId } : {}),
    });

  /** An invitation token from a URL → the open invitation and its consultant, or why not. */
  async function openInvitation(token: string) {
    const found = await deps.invitations.lookup(token);
    if (found.status === 'unknown') return { kind: 'problem', problem: 'link_unknown' } as Problem;
    if (found.status !== 'open') {
      if (found.status === 'expired') await audit('invitation.expired_link_used', found.invitation.id, {});
      return {
        kind: 'problem',
        problem: LINK_PROBLEMS[found.status],
        invitationId: found.invitation.id,
      } as Problem;
    }
    const consultant = await deps.consultants.find(found.invitation.consultant_id);
    if (!consultant || consultant.status !== 'active')
      return { kind: 'problem', problem: 'link_revoked' } as Problem;
    return { kind: 'open' as const, invitation: found.invitation, consultant };
  }

  /** Runs the linking for a signed-in consultant and settles the invitation. */
  async function linkAndSettle(input: {
    attemptId: string;
    invitationId: string;
    onlyTenantId: string | null;
    consultant: InvitedConsultant;
    homeAccountId: string;
    signInTenantId: string;
    replaceIn: string[];
    requestId: string;
  }): Promise<ResultView> {
    const cache = (await deps.tokenCaches.load(input.homeAccountId)) ?? '';
    const linked = await deps.link({
      consultantId: input.consultant.id,
      homeAccountId: input.homeAccountId,
      signInTenantId: input.signInTenantId,
      onlyTenantId: input.onlyTenantId,
      expectedTenantIds: input.consultant.expectedTenantIds,
      target: input.consultant.locationId,
      replaceIn: input.replaceIn,
      cache,
    });
    await deps.tokenCaches.save(input.homeAccountId, input.consultant.id, linked.cache);
    for (const row of linked.results) {
      await audit(
        `pal.${row.status}`,
        input.invitationId,
        {
          consultantId: input.consultant.id,
          tenantId: row.tenantId,
          partnerId: row.partnerId,
          previousPartnerId: row.previousPartnerId,
          otherPartnerId: row.otherPartner?.partnerId,
          errorCode: row.code,
        },
        input.requestId,
      );
      if (
        row.code === 'PartnerIdInvalid' ||
        row.code?.startsWith('AADSTS7000') ||
        row.code === 'AADSTS700016'
      ) {
        deps.logger.error(
          { tenantId: row.tenantId, code: row.code },
          'admin action needed: configuration refused by Microsoft',
        );
        await deps.audit.record({
          actor: 'system',
          action: 'alert.configuration_refused',
          subjectType: 'tenant',
          subjectId: row.tenantId,
          detail: { errorCode: row.code, locationId: input.consultant.locationId },
        });
      }
    }
    const completed =
      !linked.results.some(needsFollowUp) && (await deps.invitations.complete(input.invitationId));
    if (completed)
      await audit(
        'invitation.completed',
        input.invitationId,
        { consultantId: input.consultant.id },
        input.requestId,
      );
    return {
      kind: 'result',
      attemptId: input.attemptId,
      consultant: input.consultant,
      results: linked.results,
      completed,
    };
  }

  return {
    openInvitation,

    async viewLanding(token: string, requestId: string) {
      const opened = await openInvitation(token);
      if (opened.kind === 'open') await audit('invitation.viewed', opened.invitation.id, {}, requestId);
      return opened;
    },

    /** The Continue button: a new sign-in attempt bound to this browser, then off to Microsoft. */
    async startSignIn(token: string, requestId: string, onlyTenantId?: string) {
      const opened = await openInvitation(token);
      if (opened.kind !== 'open') return opened;
      return beginAttempt(
        opened.invitation.id,
        onlyTenantId ?? opened.invitation.tenant_id,
        opened.consultant,
        requestId,
      );
    },

    async handleCallback(input: CallbackInput): Promise<Problem | ResultView> {
      if (!input.state) return { kind: 'problem', problem: 'signin_expired' };
      const attempt = await deps.attempts.consume(input.state, input.browserSecret);
      if (!attempt.ok) {
        return {
          kind: 'problem',
          problem: attempt.reason === 'other_browser' ? 'other_browser' : 'signin_expired',
        };
      }
      const invitation = await deps.invitations.isOpen(attempt.invitationId);
      const consultant = invitation ? await deps.consultants.find(invitation.consultant_id) : undefined;
      if (!invitation || !consultant || consultant.status !== 'active')
        return { kind: 'problem', problem: 'link_used' };

      if (input.error) {
        await audit(
          'signin.failed',
          invitation.id,
          { error: input.error, description: input.errorDescription?.slice(0, 200) },
          input.requestId,
        );
        if (isConsentError(input.error, input.errorDescription) && attempt.authority !== 'organizations') {
          const tenant = { tenantId: attempt.authority, tenantName: undefined };
          return {
            kind: 'result',
            attemptId: attempt.id,
            consultant,
            completed: false,
            results: [
              fromTokenFailure(tenant, {
                kind: 'consent_required',
                aadsts: aadstsFromText(input.errorDescription),
                errorCode: input.error,
                message: '',
              }),
            ],
          };
        }
        return { kind: 'problem', problem: problemForAuthorizeError(input.error, input.errorDescription) };
      }
      if (!input.code) return { kind: 'problem', problem: 'signin_failed' };

      const redeemed = await deps.identity.redeemCode({
        code: input.code,
        codeVerifier: attempt.secrets.codeVerifier,
        nonce: attempt.secrets.nonce,
        state: input.state,
        authority: attempt.authority,
      });
      if (!redeemed.outcome.ok) {
        const failure = redeemed.outcome.failure;
        await audit(
          'signin.failed',
          invitation.id,
          { errorCode: failure.aadsts ?? failure.errorCode, kind: failure.kind },
          input.requestId,
        );
        return { kind: 'problem', problem: problemForTokenFailure(failure.kind) };
      }
      const account = redeemed.outcome.value;
      // The identity guard: only the invited person may link, whatever account the browser offered.
      if (!account.emails.includes(consultant.email.toLowerCase())) {
        await audit(
          'signin.identity_mismatch',
          invitation.id,
          { consultantId: consultant.id, signedInAs: account.username },
          input.requestId,
        );
        return { kind: 'problem', problem: 'wrong_account', detail: account.username };
      }
      await deps.tokenCaches.save(account.homeAccountId, consultant.id, redeemed.cache);
      await deps.consultants.recordSignIn(consultant.id, {
        homeAccountId: account.homeAccountId,
        username: account.username,
        at: deps.clock.now(),
      });
      await deps.invitations.markClaimed(invitation.id);
      await audit(
        'signin.completed',
        invitation.id,
        { consultantId: consultant.id, signedInAs: account.username, tenantId: account.tenantId },
        input.requestId,
      );
      return linkAndSettle({
        attemptId: attempt.id,
        invitationId: invitation.id,
        onlyTenantId: attempt.authority === 'organizations' ? null : attempt.authority,
        consultant,
        homeAccountId: account.homeAccountId,
        signInTenantId: account.tenantId,
        replaceIn: [],
        requestId: input.requestId,
      });
    },

    /** After sign-in: replace another partner's ID in one tenant, or keep it. Same browser, 30 minutes. */
    async decide(input: {
      attemptId: string;
      tenantId: string;
      replace: boolean;
      browserSecret: string | undefined;
      requestId: string;
    }) {
      const attempt = await deps.attempts.findForDecision(input.attemptId, input.browserSecret);
      const invitation = attempt ? await deps.invitations.isOpen(attempt.invitationId) : undefined;
      const consultant = invitation ? await deps.consultants.find(invitation.consultant_id) : undefined;
      const home = consultant ? await homeAccountOf(consultant.id) : undefined;
      if (!attempt || !invitation || !consultant || !home)
        return { kind: 'problem', problem: 'decision_expired' } as Problem;
      const tenantId = input.tenantId.toLowerCase();
      if (!input.replace) {
        await audit(
          'pal.kept_other_partner',
          invitation.id,
          { consultantId: consultant.id, tenantId },
          input.requestId,
        );
        const completed = await deps.invitations.complete(invitation.id);
        return {
          kind: 'result',
          attemptId: attempt.id,
          consultant,
          completed,
          results: [
            {
              tenantId,
              tenantName: undefined,
              status: 'kept_other_partner',
              message:
                'Left as it was, linked to the other partner. You can change your mind with a new invitation.',
            },
          ],
        } satisfies ResultView;
      }
      return linkAndSettle({
        attemptId: attempt.id,
        invitationId: invitation.id,
        onlyTenantId: tenantId,
        consultant,
        homeAccountId: home.homeAccountId,
        signInTenantId: tenantId,
        replaceIn: [tenantId],
        requestId: input.requestId,
      });
    },

    /** After sign-in: sign in again directly to one tenant (MFA, or after its admin consented). */
    async continueInTenant(input: {
      attemptId: string;
      tenantId: string;
      browserSecret: string | undefined;
      requestId: string;
    }) {
      const attempt = await deps.attempts.findForDecision(input.attemptId, input.browserSecret);
      const invitation = attempt ? await deps.invitations.isOpen(attempt.invitationId) : undefined;
      const consultant = invitation ? await deps.consultants.find(invitation.consultant_id) : undefined;
      if (!invitation || !consultant) return { kind: 'problem', problem: 'decision_expired' } as Problem;
      return beginAttempt(invitation.id, input.tenantId.toLowerCase(), consultant, input.requestId);
    },
  };

  async function beginAttempt(
    invitationId: string,
    tenantId: string | null,
    consultant: InvitedConsultant,
    requestId: string,
  ) {
    const authority = tenantId ?? 'organizations';
    const attempt = await deps.attempts.create(invitationId, authority);
    try {
      const url = await deps.identity.authorizeUrl({
        authority,
        state: attempt.state,
        nonce: attempt.nonce,
        codeChallenge: attempt.codeChallenge,
        loginHint: consultant.email,
      });
      await audit('signin.started', invitationId, { authority }, requestId);
      return { kind: 'redirect' as const, url, browserSecret: attempt.browserSecret };
    } catch (error) {
      deps.logger.warn({ err: error, authority }, 'could not build the sign-in URL');
      return { kind: 'problem', problem: 'azure_unavailable' } as Problem;
    }
  }

  async function homeAccountOf(consultantId: string) {
    const homeAccountId = await deps.consultants.homeAccount(consultantId);
    return homeAccountId ? { homeAccountId } : undefined;
  }
}

function isConsentError(error: string, description: string | undefined): boolean {
  return error === 'consent_required' || /AADSTS(65001|90094|90095)/.test(description ?? '');
}

function problemForAuthorizeError(error: string, description: string | undefined): ProblemKey {
  if (error === 'access_denied' && /AADSTS65004|cancel/i.test(description ?? '')) return 'cancelled';
  if (error === 'access_denied')
    return /AADSTS(50057|50034|50020|16000)/.test(description ?? '') ? 'account_problem' : 'cancelled';
  if (isConsentError(error, description)) return 'policy_blocked';
  if (error === 'temporarily_unavailable' || error === 'server_error') return 'azure_unavailable';
  return 'signin_failed';
}

function problemForTokenFailure(kind: string): ProblemKey {
  switch (kind) {
    case 'account_gone':
      return 'account_problem';
    case 'blocked_by_policy':
      return 'policy_blocked';
    case 'app_misconfigured':
      return 'app_misconfigured';
    case 'transient':
      return 'azure_unavailable';
    default:
      return 'signin_failed';
  }
}

export type Journey = ReturnType<typeof createJourney>;
