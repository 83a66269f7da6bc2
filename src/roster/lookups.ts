import type { Deps } from '../deps.ts';
import { AppError, notFound } from '../platform/errors.ts';
import {
  type Consultant,
  type ConsultantDetail,
  type ConsultantRecord,
  toAssociation,
  toConsultant,
  toInvitation,
} from './model.ts';
import { CONSULTANT_ID } from './schemas.ts';
import { type ConsultantFilter, createRosterStore, type RosterStore } from './store.ts';

/** What invitations need to know about a consultant they are sent to. */
export interface InvitationTarget {
  id: string;
  email: string;
  displayName: string;
  locationId: string;
  customerTenants: string[];
}

export type SkippedConsultant = { id: string; reason: 'not_found' | 'offboarded' };

/** The consultant with this ID, or 404. A malformed ID is just another unknown one. */
export async function mustFindConsultant(store: RosterStore, id: string): Promise<ConsultantRecord> {
  const found = CONSULTANT_ID.test(id) ? await store.findById(id) : undefined;
  if (!found) throw notFound(`No consultant ${id}`);
  return found;
}

/** The read side of the roster: what the admin API shows and what invitations look up. */
export function createRosterLookups(deps: Pick<Deps, 'db'>) {
  const store = createRosterStore(deps.db);

  return {
    async list(filter: ConsultantFilter): Promise<{ consultants: Consultant[]; total: number }> {
      const { rows, total } = await store.list(filter);
      return { consultants: rows.map(toConsultant), total };
    },

    /** One consultant with their invitations and PAL links, for the admin's detail view. */
    async get(id: string): Promise<ConsultantDetail> {
      const found = toConsultant(await mustFindConsultant(store, id));
      const invitations = await store.invitationsOf(id);
      const associations = await store.associationsOf(id);
      const mails = await store.mailsOf(id);
      return {
        ...found,
        invitations: invitations.map((invitation) => toInvitation(invitation, mails)),
        associations: associations.map(toAssociation),
      };
    },

    async findById(id: string): Promise<Consultant | undefined> {
      const found = CONSULTANT_ID.test(id) ? await store.findById(id) : undefined;
      return found && toConsultant(found);
    },

    async findByEmail(email: string): Promise<Consultant | undefined> {
      const found = await store.findByEmail(email.trim().toLowerCase());
      return found && toConsultant(found);
    },

    /** The consultant if they may be invited: 404 when unknown, 409 when offboarded. */
    async getActiveConsultant(id: string): Promise<Consultant> {
      const found = toConsultant(await mustFindConsultant(store, id));
      if (found.status !== 'active') throw new AppError('conflict', `Consultant ${id} is offboarded`);
      return found;
    },

    /**
     * The consultants an invitation batch goes to: every active one (`all`), or those of `ids` that
     * are active. The other IDs come back in `skipped` with the reason, so the caller can say why.
     */
    async listForInvitation(selection: {
      ids?: string[];
      all?: boolean;
    }): Promise<{ consultants: InvitationTarget[]; skipped: SkippedConsultant[] }> {
      if (selection.all) return { consultants: (await store.listActive()).map(toTarget), skipped: [] };
      const ids = [...new Set(selection.ids ?? [])];
      const active = await store.listActive(ids.filter((id) => CONSULTANT_ID.test(id)));
      const activeIds = new Set(active.map((row) => row.id));
      const skipped: SkippedConsultant[] = [];
      for (const id of ids) {
        if (activeIds.has(id)) continue;
        const known = CONSULTANT_ID.test(id) ? await store.findById(id) : undefined;
        skipped.push({ id, reason: known ? 'offboarded' : 'not_found' });
      }
      return { consultants: active.map(toTarget), skipped };
    },

    async listActiveConsultants(): Promise<InvitationTarget[]> {
      return (await store.listActive()).map(toTarget);
    },
  };
}

function toTarget(row: ConsultantRecord): InvitationTarget {
  const consultant = toConsultant(row);
  return {
    id: consultant.id,
    email: consultant.email,
    displayName: consultant.displayName,
    locationId: consultant.locationId,
    customerTenants: consultant.customerTenants,
  };
}
