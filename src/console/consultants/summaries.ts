import type { Db } from '../../platform/db/connection.ts';

export interface LinkSummary {
  tenant: string;
  verdict: string | null;
}

export interface InvitationSummary {
  state: string;
  createdAt: string;
  /** The delivery state of its newest mail, if one was queued. */
  mailState: string | null;
}

/**
 * What the console shows beside consultants, read for a whole page at once (one query per kind,
 * not per consultant): their links with verdicts, their latest invitation, and a person's history.
 */
export function createConsultantSummaries(db: Db) {
  return {
    async linksOf(ids: string[]): Promise<Map<string, LinkSummary[]>> {
      const links = new Map<string, LinkSummary[]>();
      if (ids.length === 0) return links;
      const rows = await db
        .selectFrom('associations')
        .select(['consultant_id', 'tenant_id', 'tenant_name', 'verdict'])
        .where('consultant_id', 'in', ids)
        .where('status', '=', 'active')
        .orderBy('tenant_name')
        .execute();
      for (const row of rows) {
        // The `in` filter leaves consultants' rows only; the guard tells the compiler so.
        if (row.consultant_id === null) continue;
        const list = links.get(row.consultant_id) ?? [];
        list.push({ tenant: row.tenant_name ?? row.tenant_id, verdict: row.verdict });
        links.set(row.consultant_id, list);
      }
      return links;
    },

    async latestInvitationOf(ids: string[]): Promise<Map<string, InvitationSummary>> {
      const latest = new Map<string, InvitationSummary & { id: string }>();
      if (ids.length === 0) return latest;
      const invitations = await db
        .selectFrom('invitations')
        .select(['id', 'consultant_id', 'state', 'created_at'])
        .where('consultant_id', 'in', ids)
        .orderBy('created_at', 'desc')
        .execute();
      for (const row of invitations) {
        if (!latest.has(row.consultant_id)) {
          latest.set(row.consultant_id, {
            id: row.id,
            state: row.state,
            createdAt: row.created_at,
            mailState: null,
          });
        }
      }
      const byInvitation = new Map([...latest.values()].map((invitation) => [invitation.id, invitation]));
      if (byInvitation.size > 0) {
        const mails = await db
          .selectFrom('mail_outbox')
          .select(['invitation_id', 'state'])
          .where('invitation_id', 'in', [...byInvitation.keys()])
          .orderBy('created_at', 'asc')
          .execute();
        // Oldest first, so the newest mail's state is the one left standing.
        for (const mail of mails) {
          const invitation = mail.invitation_id ? byInvitation.get(mail.invitation_id) : undefined;
          if (invitation) invitation.mailState = mail.state;
        }
      }
      return latest;
    },

    /** Every link of a consultant (retired ones too: they are history), newest first. */
    async associationsOf(consultantId: string) {
      return db
        .selectFrom('associations')
        .selectAll()
        .where('consultant_id', '=', consultantId)
        .orderBy('status')
        .orderBy('linked_at', 'desc')
        .execute();
    },

    /** Verdicts over runs for each of a consultant's links, newest first (the last `perLink` of each). */
    async verdictHistoryOf(
      consultantId: string,
      perLink: number,
    ): Promise<Map<string, { at: string; verdict: string; runId: string }[]>> {
      const rows = await db
        .selectFrom('verdicts as v')
        .innerJoin('associations as a', 'a.id', 'v.association_id')
        .select(['v.association_id', 'v.verdict', 'v.checked_at', 'v.run_id'])
        .where('a.consultant_id', '=', consultantId)
        .orderBy('v.checked_at', 'desc')
        .limit(perLink * 50)
        .execute();
      const history = new Map<string, { at: string; verdict: string; runId: string }[]>();
      for (const row of rows) {
        const list = history.get(row.association_id) ?? [];
        if (list.length < perLink) list.push({ at: row.checked_at, verdict: row.verdict, runId: row.run_id });
        history.set(row.association_id, list);
      }
      return history;
    },
  };
}

export type ConsultantSummaries = ReturnType<typeof createConsultantSummaries>;
