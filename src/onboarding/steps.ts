import type { InvitedConsultant } from './consultants.ts';
import type { JourneyDeps, Problem, ResultView } from './journey.ts';
import { LINK_PROBLEMS } from './signin-problems.ts';
import { needsFollowUp } from './tenant-result.ts';

/** The pieces every step of the journey shares: audit, opening an invitation, linking, starting a sign-in. */
export function createJourneySteps(deps: JourneyDeps) {
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
    if (consultant?.status !== 'active') return { kind: 'problem', problem: 'link_revoked' } as Problem;
    return { kind: 'open' as const, invitation: found.invitation, consultant };
  }

  /** Runs the linking for a signed-in consultant and settles the invitation. */
  async function linkAndSettle(input: {
    attemptId: string;
    invitationId: string;
    /** The one tenant the invitation is for, if the admin named one. */
    invitationTenantId: string | null;
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
    // A pass over what the invitation covers settles its list of tenants still waiting; a pass over
    // one tenant (a decision, a sign-in to that directory) only that tenant's entry.
    const only = input.onlyTenantId?.toLowerCase() ?? null;
    const wholePass = only === null || only === input.invitationTenantId?.toLowerCase();
    const completed = await deps.invitations.settle(input.invitationId, {
      covered: wholePass ? 'all' : [only],
      open: linked.results.filter(needsFollowUp).map((row) => row.tenantId.toLowerCase()),
    });
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

  return { audit, openInvitation, linkAndSettle, beginAttempt, homeAccountOf };
}

export type JourneySteps = ReturnType<typeof createJourneySteps>;
