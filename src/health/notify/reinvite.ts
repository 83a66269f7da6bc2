import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../../audit/service.ts';
import type { InvitationService } from '../../invitations/service.ts';
import { createOutboxStore } from '../../outbox/store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/connection.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RunReport } from '../report.ts';
import { type ReinviteOutcome, type Transition, tenantOf } from './summary.ts';
import { REINVITE_VERDICTS, type ReinvitePolicy } from './verdicts.ts';

const DAY_MS = 86_400_000;
export const HEALTH_CHECK_ACTOR = 'health-check';

export interface ReinviteDeps {
  db: Db;
  clock: Clock;
  invitations: Pick<InvitationService, 'issue'>;
  audit: Pick<AuditLog, 'record'>;
  logger: Logger;
  policy: ReinvitePolicy;
  wake: () => void;
}

/**
 * Self-healing after a run: a consultant whose link is missing, points elsewhere or needs them to
 * sign in again gets a fresh invitation and a `reinvite` mail saying why — at most once per
 * `policy.minDays`. The memory of "already re-invited" is the outbox itself (a `reinvite` row for the
 * consultant within the window, whoever queued it), so nothing new is stored and an admin's manual
 * re-invite counts too. Everything for one run commits together, with its audit events.
 */
export async function reinviteAfterRun(
  deps: ReinviteDeps,
  report: RunReport,
): Promise<Map<string, ReinviteOutcome>> {
  const outcomes = new Map<string, ReinviteOutcome>();
  if (!deps.policy.enabled) return outcomes;
  const wanted = new Map<string, Transition[]>();
  for (const transition of report.transitions) {
    if (!REINVITE_VERDICTS.has(transition.to)) continue;
    // An automation identity has nobody to invite: its credential is renewed by an admin.
    if (transition.kind === 'service_principal') continue;
    wanted.set(transition.consultantId, [...(wanted.get(transition.consultantId) ?? []), transition]);
  }
  if (wanted.size === 0) return outcomes;

  const now = deps.clock.now();
  const since = new Date(now.getTime() - deps.policy.minDays * DAY_MS).toISOString();
  const ids = [...wanted.keys()];
  const batchId = randomUUID();
  let issued = 0;
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Read in the transaction that writes. On SQLite (one connection) that serialises two runs
      // finishing together; on Postgres they could both re-invite, which one schedule makes unlikely.
      const consultants = await trx
        .selectFrom('consultants')
        .select(['id', 'email', 'status'])
        .where('id', 'in', ids)
        .execute();
      const recent = await trx
        .selectFrom('mail_outbox')
        .select(['consultant_id', (eb) => eb.fn.max('created_at').as('last')])
        .where('kind', '=', 'reinvite')
        .where('consultant_id', 'in', ids)
        .where('created_at', '>', since)
        .groupBy('consultant_id')
        .execute();
      const lastSent = new Map(recent.map((row) => [row.consultant_id, String(row.last)]));
      const due: { id: string; email: string; transitions: Transition[] }[] = [];
      for (const [consultantId, transitions] of wanted) {
        const consultant = consultants.find((c) => c.id === consultantId);
        const last = lastSent.get(consultantId);
        if (!consultant) outcomes.set(consultantId, { status: 'not_on_roster' });
        else if (consultant.status !== 'active') outcomes.set(consultantId, { status: 'offboarded' });
        else if (last) outcomes.set(consultantId, { status: 'rate_limited', lastSentAt: last });
        else due.push({ id: consultantId, email: consultant.email, transitions });
      }
      if (due.length === 0) return;

      // A batch row makes the re-invitations of one run followable like any send (GET /api/batches/{id}).
      await trx
        .insertInto('batches')
        .values({
          id: batchId,
          kind: 'reinvite',
          created_by: HEALTH_CHECK_ACTOR,
          created_at: now.toISOString(),
          total: due.length,
          tenant_id: null,
        })
        .execute();
      for (const consultant of due) {
        const tenantId = singleTenant(consultant.transitions);
        const reason = reasonFor(consultant.transitions);
        const invitation = await deps.invitations.issue(
          { consultantId: consultant.id, tenantId, batchId },
          trx,
        );
        await createOutboxStore(trx).enqueue(
          [
            {
              id: randomUUID(),
              kind: 'reinvite',
              to_address: consultant.email,
              consultant_id: consultant.id,
              invitation_id: invitation.id,
              batch_id: batchId,
              // The composer renders `reinvite` mails from the invitation and reads the reason here.
              subject: reason,
            },
          ],
          now,
          trx,
        );
        await trx
          .updateTable('invitations')
          .set({ last_sent_at: now.toISOString() })
          .where('id', '=', invitation.id)
          .execute();
        await deps.audit.record(
          {
            actor: HEALTH_CHECK_ACTOR,
            action: 'health.reinvited',
            subjectType: 'consultant',
            subjectId: consultant.id,
            detail: {
              runId: report.runId,
              invitationId: invitation.id,
              batchId,
              tenantId,
              verdicts: consultant.transitions.map((t) => ({ tenantId: t.tenantId, from: t.from, to: t.to })),
              reason,
            },
          },
          trx,
        );
        outcomes.set(consultant.id, { status: 'reinvited', invitationId: invitation.id });
        issued += 1;
      }
    });
  } catch (error) {
    // Rolled back: nobody was re-invited, and the next run tries again (no reinvite row was kept).
    deps.logger.error({ err: error, runId: report.runId }, 'health check re-invitations failed');
    for (const id of ids) {
      if (outcomes.get(id)?.status === 'reinvited' || !outcomes.has(id))
        outcomes.set(id, { status: 'failed' });
    }
    return outcomes;
  }
  if (issued > 0) deps.wake();
  return outcomes;
}

/**
 * One tenant → the link is scoped to it, so the sign-in happens in that tenant and meets its MFA or
 * Conditional Access there; several → an unscoped link, which re-checks every tenant the account
 * reaches (an invitation names one tenant at most, and a new one supersedes the older).
 */
function singleTenant(transitions: Transition[]): string | null {
  const tenants = new Set(transitions.map((t) => t.tenantId.toLowerCase()));
  return tenants.size === 1 ? [...tenants][0]! : null;
}

/** The "why" of the mail, in the consultant's terms; it also ends up (shortened) in the subject. */
export function reasonFor(transitions: Transition[]): string {
  const phrases = transitions.map((t) => {
    const tenant = tenantOf(t);
    if (t.to === 'pal_missing') return `your Partner Admin Link in ${tenant} is missing`;
    if (t.to === 'pal_mismatch') return `your Partner Admin Link in ${tenant} points to another partner ID`;
    return `${tenant} needs you to sign in again`;
  });
  return [...new Set(phrases)].join('; ');
}
