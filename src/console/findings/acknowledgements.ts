import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditLog } from '../../audit/service.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/connection.ts';
import type { Row } from '../../platform/db/tables.ts';
import { AppError, notFound } from '../../platform/errors.ts';

export type Acknowledgement = Row<'finding_acknowledgements'>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Seen, and this is why": an admin's acknowledgement of one association's verdict. It holds while the
 * association shows that verdict since the same moment; a change (or a new spell of the same verdict)
 * makes the finding new again.
 */
export function createAcknowledgements(deps: { db: Db; clock: Clock; audit: Pick<AuditLog, 'record'> }) {
  const holds = (
    ack: Acknowledgement,
    association: { verdict: string | null; verdict_since: string | null },
  ) => ack.verdict === association.verdict && ack.verdict_since === association.verdict_since;

  return {
    /** Acknowledges what the association shows now; `verdict` is what the admin saw (it must still be so). */
    async acknowledge(associationId: string, input: { verdict: string; note: string }, ctx: AuditContext) {
      const association = GUID.test(associationId)
        ? await deps.db
            .selectFrom('associations')
            .selectAll()
            .where('id', '=', associationId)
            .executeTakeFirst()
        : undefined;
      if (!association) throw notFound(`No association ${associationId}`);
      if (!association.verdict || association.verdict === 'healthy') {
        throw new AppError('conflict', 'There is nothing to acknowledge: this link has no finding now.');
      }
      if (association.verdict !== input.verdict) {
        throw new AppError(
          'conflict',
          'The verdict changed since the page was shown; look at it again before acknowledging.',
        );
      }
      const row: Acknowledgement = {
        id: randomUUID(),
        association_id: association.id,
        verdict: association.verdict,
        verdict_since: association.verdict_since,
        note: input.note,
        acknowledged_by: ctx.actor,
        acknowledged_at: deps.clock.now().toISOString(),
      };
      await deps.db.transaction().execute(async (trx) => {
        await trx.insertInto('finding_acknowledgements').values(row).execute();
        await deps.audit.record(
          {
            ...ctx,
            action: 'finding.acknowledged',
            subjectType: 'association',
            subjectId: association.id,
            detail: { verdict: row.verdict, consultantId: association.consultant_id, note: input.note },
          },
          trx,
        );
      });
      return row;
    },

    /** The acknowledgements that still hold, by association ID. */
    async current(
      associations: { id: string; verdict: string | null; verdict_since: string | null }[],
    ): Promise<Map<string, Acknowledgement>> {
      const held = new Map<string, Acknowledgement>();
      const ids = associations.filter((a) => a.verdict && a.verdict !== 'healthy').map((a) => a.id);
      const byId = new Map(associations.map((a) => [a.id, a]));
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await deps.db
          .selectFrom('finding_acknowledgements')
          .selectAll()
          .where('association_id', 'in', ids.slice(i, i + 500))
          .orderBy('acknowledged_at', 'desc')
          .execute();
        for (const ack of rows) {
          const association = byId.get(ack.association_id);
          if (association && !held.has(ack.association_id) && holds(ack, association))
            held.set(ack.association_id, ack);
        }
      }
      return held;
    },
  };
}

export type Acknowledgements = ReturnType<typeof createAcknowledgements>;
