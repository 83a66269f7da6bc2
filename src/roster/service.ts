import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditLog } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { revokeOpenInvitations } from '../invitations/store.ts';
import type { Db } from '../platform/db/connection.ts';
import type { RowUpdate } from '../platform/db/tables.ts';
import { AppError, badRequest } from '../platform/errors.ts';
import { createRosterLookups, mustFindConsultant } from './lookups.ts';
import { type Consultant, toConsultant } from './model.ts';
import { checkCustomerTenants, defaultDisplayName, resolveLocation } from './rules.ts';
import type { CreateConsultantInput, UpdateConsultantInput } from './schemas.ts';
import { createRosterStore, isUniqueViolation, type RosterStore } from './store.ts';

export type RosterDeps = Pick<Deps, 'db' | 'clock' | 'config'> & { audit: AuditLog };

export function createRosterService(deps: RosterDeps) {
  const partner = deps.config.partner;

  const locationOf = (requested: string | undefined) => {
    const resolved = resolveLocation(requested, partner);
    if (!resolved.ok) throw badRequest(`locationId: ${resolved.message}`);
    return resolved.value;
  };
  const tenantsOf = (tenants: string[]) => {
    const checked = checkCustomerTenants(tenants, deps.config.azure.tenantId);
    if (!checked.ok) throw badRequest(`customerTenants: ${checked.message}`);
    return checked.value;
  };
  const duplicate = (existing: { id: string; status: string }) =>
    new AppError(
      'conflict',
      existing.status === 'offboarded'
        ? `A consultant with this email already exists (offboarded): reinstate them instead (POST /api/consultants/${existing.id}/reinstate, or Reinstate on their console page)`
        : 'A consultant with this email already exists',
      { existingId: existing.id },
    );
  /** Writes that may hit the email's unique constraint when two requests race past our own check. */
  const guardEmail = async <T>(email: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      const existing = isUniqueViolation(error)
        ? await createRosterStore(deps.db).findByEmail(email)
        : undefined;
      throw existing ? duplicate(existing) : error;
    }
  };
  const inTransaction = <T>(work: (tx: RosterStore, trx: Db) => Promise<T>) =>
    deps.db.transaction().execute((trx) => work(createRosterStore(trx), trx));

  return {
    ...createRosterLookups(deps),

    async create(input: CreateConsultantInput, ctx: AuditContext): Promise<Consultant> {
      const location = locationOf(input.locationId);
      const customerTenants = tenantsOf(input.customerTenants ?? []);
      const now = deps.clock.now().toISOString();
      const id = randomUUID();
      return guardEmail(input.email, () =>
        inTransaction(async (tx, trx) => {
          const existing = await tx.findByEmail(input.email);
          if (existing) throw duplicate(existing);
          await tx.insert({
            id,
            email: input.email,
            display_name: input.displayName || defaultDisplayName(input.email),
            location_id: location.id,
            customer_tenants: JSON.stringify(customerTenants),
            status: 'active',
            created_at: now,
            updated_at: now,
            offboarded_at: null,
          });
          const created = toConsultant(await mustFindConsultant(tx, id));
          await deps.audit.record(
            {
              ...ctx,
              action: 'consultant.created',
              subjectType: 'consultant',
              subjectId: id,
              detail: { email: created.email, locationId: created.locationId },
            },
            trx,
          );
          return created;
        }),
      );
    },

    async update(id: string, patch: UpdateConsultantInput, ctx: AuditContext): Promise<Consultant> {
      return guardEmail(patch.email ?? '', () =>
        inTransaction(async (tx, trx) => {
          const before = toConsultant(await mustFindConsultant(tx, id));
          if (before.status === 'offboarded') {
            throw new AppError(
              'conflict',
              `Consultant ${id} is offboarded; the record is kept as history and cannot be edited`,
            );
          }
          const after = {
            email: patch.email ?? before.email,
            displayName:
              patch.displayName === undefined
                ? before.displayName
                : patch.displayName || defaultDisplayName(patch.email ?? before.email),
            locationId: patch.locationId === undefined ? before.locationId : locationOf(patch.locationId).id,
            customerTenants:
              patch.customerTenants === undefined ? before.customerTenants : tenantsOf(patch.customerTenants),
          };
          if (after.email !== before.email) {
            const holder = await tx.findByEmail(after.email);
            if (holder) throw duplicate(holder);
          }
          const changes: Record<string, { from: unknown; to: unknown }> = {};
          for (const field of ['email', 'displayName', 'locationId', 'customerTenants'] as const) {
            if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
              changes[field] = { from: before[field], to: after[field] };
            }
          }
          if (Object.keys(changes).length === 0) return before;
          const set: RowUpdate<'consultants'> = {
            email: after.email,
            display_name: after.displayName,
            location_id: after.locationId,
            customer_tenants: JSON.stringify(after.customerTenants),
            updated_at: deps.clock.now().toISOString(),
          };
          await tx.update(id, set);
          await deps.audit.record(
            {
              ...ctx,
              action: 'consultant.updated',
              subjectType: 'consultant',
              subjectId: id,
              detail: { changes },
            },
            trx,
          );
          return toConsultant(await mustFindConsultant(tx, id));
        }),
      );
    },

    /**
     * Offboards: the consultant stops being invited and checked, every open link dies, stored
     * sign-ins are discarded, and the history (invitations, associations, audit) stays. Idempotent.
     */
    async offboard(
      id: string,
      ctx: AuditContext,
    ): Promise<{ consultant: Consultant; revokedInvitations: number }> {
      return inTransaction(async (tx, trx) => {
        const found = await mustFindConsultant(tx, id);
        const revokedInvitations = await revokeOpenInvitations(trx, id);
        if (found.status === 'offboarded' && revokedInvitations === 0) {
          return { consultant: toConsultant(found), revokedInvitations };
        }
        const now = deps.clock.now().toISOString();
        if (found.status === 'active')
          await tx.update(id, { status: 'offboarded', offboarded_at: now, updated_at: now });
        const retiredAssociations = await tx.retireAssociations(id);
        const discardedSignIns = await tx.discardTokenCaches(id);
        await deps.audit.record(
          {
            ...ctx,
            action: 'consultant.offboarded',
            subjectType: 'consultant',
            subjectId: id,
            detail: { email: found.email, revokedInvitations, retiredAssociations, discardedSignIns },
          },
          trx,
        );
        return { consultant: toConsultant(await mustFindConsultant(tx, id)), revokedInvitations };
      });
    },

    /**
     * Brings an offboarded consultant back (rehired, offboarded by mistake): active again, with the
     * history kept. Their links were retired and their sign-ins discarded at offboarding, so nothing is
     * checked until they complete a new invitation, which sets the links again. Idempotent.
     */
    async reinstate(id: string, ctx: AuditContext): Promise<Consultant> {
      return inTransaction(async (tx, trx) => {
        const found = await mustFindConsultant(tx, id);
        if (found.status === 'active') return toConsultant(found);
        await tx.update(id, {
          status: 'active',
          offboarded_at: null,
          updated_at: deps.clock.now().toISOString(),
        });
        await deps.audit.record(
          {
            ...ctx,
            action: 'consultant.reinstated',
            subjectType: 'consultant',
            subjectId: id,
            detail: { email: found.email, offboardedAt: found.offboarded_at },
          },
          trx,
        );
        return toConsultant(await mustFindConsultant(tx, id));
      });
    },
  };
}

export type RosterService = ReturnType<typeof createRosterService>;
