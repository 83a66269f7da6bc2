import type { JourneyDeps, Problem, ResultView } from './journey.ts';
import type { JourneySteps } from './steps.ts';

/** What the consultant can still do on the result page: decide about another partner's ID, or sign in to one tenant. */
export function createAfterSignIn(deps: JourneyDeps, steps: JourneySteps) {
  const { audit, linkAndSettle, beginAttempt, homeAccountOf } = steps;
  return {
    /** Replace another partner's ID in one tenant, or keep it. Same browser, within 30 minutes. */
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
}
