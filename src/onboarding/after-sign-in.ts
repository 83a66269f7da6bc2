import type { JourneyDeps, Problem, ResultView } from './journey.ts';
import type { JourneySteps } from './steps.ts';

/** What the consultant can still do on the result page: decide about another partner's ID, or sign in to one tenant. */
export function createAfterSignIn(deps: JourneyDeps, steps: JourneySteps) {
  const { audit, linkAndSettle, beginAttempt, homeAccountOf } = steps;

  /** The signed-in journey a form on the result page belongs to: same browser, recent, still open. */
  async function resume(attemptId: string, browserSecret: string | undefined) {
    const attempt = await deps.attempts.findForDecision(attemptId, browserSecret);
    const invitation = attempt ? await deps.invitations.isOpen(attempt.invitationId) : undefined;
    const consultant = invitation ? await deps.consultants.find(invitation.consultant_id) : undefined;
    if (!attempt || !invitation || !consultant) return undefined;
    return { attempt, invitation, consultant };
  }
  const expired = { kind: 'problem', problem: 'decision_expired' } as Problem;

  return {
    /** Replace another partner's ID in one tenant, or keep it. Same browser, within 30 minutes. */
    async decide(input: {
      attemptId: string;
      tenantId: string;
      replace: boolean;
      browserSecret: string | undefined;
      requestId: string;
    }) {
      const resumed = await resume(input.attemptId, input.browserSecret);
      const home = resumed ? await homeAccountOf(resumed.consultant.id) : undefined;
      if (!resumed || !home) return expired;
      const { attempt, invitation, consultant } = resumed;
      const tenantId = input.tenantId.toLowerCase();
      if (!input.replace) {
        await audit(
          'pal.kept_other_partner',
          invitation.id,
          { consultantId: consultant.id, tenantId },
          input.requestId,
        );
        // Kept is a decision made: this tenant no longer waits, the others may.
        const completed = await deps.invitations.settle(invitation.id, { covered: [tenantId], open: [] });
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
        invitationTenantId: invitation.tenant_id,
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
      const resumed = await resume(input.attemptId, input.browserSecret);
      if (!resumed) return expired;
      return beginAttempt(
        resumed.invitation.id,
        input.tenantId.toLowerCase(),
        resumed.consultant,
        input.requestId,
      );
    },
  };
}
