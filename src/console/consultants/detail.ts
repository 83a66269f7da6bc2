import { Router } from 'express';
import type { AuditLog } from '../../audit/service.ts';
import type { InvitationRequests } from '../../invitations/requests.ts';
import { badRequest } from '../../platform/errors.ts';
import type { RosterService } from '../../roster/service.ts';
import { consoleAuditContext } from '../auth/guard.ts';
import type { Acknowledgements } from '../findings/acknowledgements.ts';
import { summariseEvidence } from '../findings/evidence.ts';
import { fields } from '../forms.ts';
import type { ConsoleRenderer } from '../view.ts';
import type { ConsultantSummaries } from './summaries.ts';

export interface ConsultantDetailDeps {
  roster: RosterService;
  requests: InvitationRequests;
  summaries: ConsultantSummaries;
  acknowledgements: Acknowledgements;
  audit: Pick<AuditLog, 'list'>;
  render: ConsoleRenderer;
}

/** Runs shown per link in a consultant's history. */
const HISTORY_RUNS = 12;

const NOTICES: Record<string, string> = {
  added: 'Consultant added.',
  invited: 'A new invitation is on its way; any older link of theirs no longer works.',
  revoked: 'The invitation was revoked: its link no longer works.',
  offboarded: 'Offboarded: open links are revoked, stored sign-ins discarded, and the history kept.',
  reinstated: 'Reinstated. Send them an invitation: their PAL links are set again when they complete it.',
  acknowledged: 'Acknowledged. It stays so until the verdict changes.',
};

/**
 * One consultant: their links across tenants with verdicts over runs, invitations with the delivery
 * state of each mail, and what admins did; plus the actions on them (invite / re-send, revoke, offboard).
 */
export function consultantDetailRoutes(deps: ConsultantDetailDeps): Router {
  const router = Router();

  router.get('/consultants/:id', async (req, res) => {
    const id = String(req.params.id);
    const consultant = await deps.roster.get(id);
    const [associations, history] = await Promise.all([
      deps.summaries.associationsOf(id),
      deps.summaries.verdictHistoryOf(id, HISTORY_RUNS),
    ]);
    // What admins did about this person: to them, their invitations and their links.
    const subjects = [id, ...consultant.invitations.map((i) => i.id), ...associations.map((a) => a.id)];
    const activity = await deps.audit.list({ subjectIds: subjects.slice(0, 500), limit: 20 });
    const acks = await deps.acknowledgements.current(associations);
    deps.render(res, 'consultant', {
      title: consultant.displayName,
      section: 'consultants',
      notice: typeof req.query.notice === 'string' ? NOTICES[req.query.notice] : undefined,
      consultant,
      links: associations.map((row) => ({
        id: row.id,
        tenant: row.tenant_name ?? row.tenant_id,
        tenantId: row.tenant_id,
        objectId: row.object_id,
        partnerId: row.partner_id,
        previousPartnerId: row.previous_partner_id,
        linkedAt: row.linked_at,
        active: row.status === 'active',
        verdict: row.verdict,
        since: row.verdict_since,
        stale: row.verdict_stale === 1,
        lastCheckedAt: row.last_checked_at,
        evidence: summariseEvidence(row.evidence),
        history: history.get(row.id) ?? [],
        ack: acks.get(row.id),
      })),
      activity: activity.events,
      hasOpenInvitation: consultant.invitations.some((invitation) => invitation.state === 'open'),
    });
  });

  router.post('/consultants/:id/invite', async (req, res) => {
    const id = String(req.params.id);
    await deps.requests.invite({ consultantIds: [id], send: true }, consoleAuditContext(req, res));
    res.redirect(303, `/console/consultants/${id}?notice=invited`);
  });

  router.post('/consultants/:id/offboard', async (req, res) => {
    const id = String(req.params.id);
    await deps.roster.offboard(id, consoleAuditContext(req, res));
    res.redirect(303, `/console/consultants/${id}?notice=offboarded`);
  });

  router.post('/consultants/:id/reinstate', async (req, res) => {
    const id = String(req.params.id);
    await deps.roster.reinstate(id, consoleAuditContext(req, res));
    res.redirect(303, `/console/consultants/${id}?notice=reinstated`);
  });

  router.post('/invitations/:id/revoke', async (req, res) => {
    const revoked = await deps.requests.revoke(String(req.params.id), consoleAuditContext(req, res));
    res.redirect(303, `/console/consultants/${revoked.consultantId}?notice=revoked`);
  });

  // From the list: the ticked consultants, or everyone active not yet linked; mailed through the outbox.
  router.post('/invitations', async (req, res) => {
    const everyoneUnlinked = fields(req, 'scope').includes('unlinked');
    const ids = fields(req, 'ids');
    if (!everyoneUnlinked && ids.length === 0) {
      throw badRequest('Tick at least one consultant, or invite everyone not yet linked.');
    }
    const batch = await deps.requests.invite(
      everyoneUnlinked ? { all: true, send: true } : { consultantIds: ids, send: true },
      consoleAuditContext(req, res),
    );
    res.redirect(303, `/console/batches/${batch.batchId}`);
  });

  return router;
}
