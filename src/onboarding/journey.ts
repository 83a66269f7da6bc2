import { aadstsFromText } from '../azure/aadsts.ts';
import type { IdentityPlatform } from '../azure/identity-platform.ts';
import type { TokenCacheStore } from '../azure/token-cache-store.ts';
import type { InvitationService } from '../invitations/service.ts';
import type { Logger } from '../platform/logger.ts';
import { createAfterSignIn } from './after-sign-in.ts';
import type { AttemptStore } from './attempts.ts';
import type { ConsultantAccess, InvitedConsultant } from './consultants.ts';
import type { LinkRequest } from './link-everywhere.ts';
import type { ProblemKey } from './problems.ts';
import { isConsentError, problemForAuthorizeError, problemForTokenFailure } from './signin-problems.ts';
import { createJourneySteps } from './steps.ts';
import { fromTokenFailure, type TenantResult } from './tenant-result.ts';

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

export type Problem = {
  kind: 'problem';
  problem: ProblemKey;
  detail?: string;
  invitationId?: string;
  /**
   * The problem was reported by the browser (an `error` on the callback), which anyone can forge:
   * the page is the same, but its status is never a 5xx.
   */
  reportedByBrowser?: boolean;
};

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
  const steps = createJourneySteps(deps);
  const { audit, openInvitation, linkAndSettle, beginAttempt } = steps;
  return {
    ...createAfterSignIn(deps, steps),
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
        return {
          kind: 'problem',
          problem: problemForAuthorizeError(input.error, input.errorDescription),
          reportedByBrowser: true,
        };
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
        invitationTenantId: invitation.tenant_id,
        onlyTenantId: attempt.authority === 'organizations' ? null : attempt.authority,
        consultant,
        homeAccountId: account.homeAccountId,
        signInTenantId: account.tenantId,
        replaceIn: [],
        requestId: input.requestId,
      });
    },
  };
}

export type Journey = ReturnType<typeof createJourney>;
