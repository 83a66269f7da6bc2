import type { Row } from '../platform/db/tables.ts';

/** A consultant as the API shows it (camelCase; the database stays snake_case). */
export interface Consultant {
  id: string;
  email: string;
  displayName: string;
  locationId: string;
  locationLabel: string | null;
  customerTenants: string[];
  status: 'active' | 'offboarded';
  createdAt: string;
  updatedAt: string;
  offboardedAt: string | null;
  signedInAs: string | null;
  lastSignedInAt: string | null;
}

export interface ConsultantInvitation {
  id: string;
  state: string;
  tenantId: string | null;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  remindersSent: number;
  /** Each mail of this link (invitation, reminders, re-invites): delivery state and the server's reason. */
  mails: {
    kind: string;
    state: string;
    attempts: number;
    lastError: string | null;
    sentAt: string | null;
    queuedAt: string;
  }[];
}

export interface ConsultantAssociation {
  tenantId: string;
  tenantName: string | null;
  objectId: string;
  partnerId: string;
  linkedAt: string;
  status: 'active' | 'inactive';
  verdict: string | null;
  lastCheckedAt: string | null;
}

export interface ConsultantDetail extends Consultant {
  invitations: ConsultantInvitation[];
  associations: ConsultantAssociation[];
}

export type ConsultantRecord = Row<'consultants'> & { location_label: string | null };

export function toConsultant(row: ConsultantRecord): Consultant {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    locationId: row.location_id,
    locationLabel: row.location_label,
    customerTenants: JSON.parse(row.customer_tenants) as string[],
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    offboardedAt: row.offboarded_at,
    signedInAs: row.signed_in_as,
    lastSignedInAt: row.last_signed_in_at,
  };
}

export type MailRecord = Pick<
  Row<'mail_outbox'>,
  'invitation_id' | 'kind' | 'state' | 'attempts' | 'last_error' | 'sent_at' | 'created_at'
>;

/** An invitation with its mails (newest first): whether it reached the consultant, and why not. */
export function toInvitation(row: Row<'invitations'>, mails: MailRecord[] = []): ConsultantInvitation {
  return {
    id: row.id,
    state: row.state,
    tenantId: row.tenant_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    completedAt: row.completed_at,
    remindersSent: row.reminders_sent,
    mails: mails
      .filter((mail) => mail.invitation_id === row.id)
      .map((mail) => ({
        kind: mail.kind,
        state: mail.state,
        attempts: mail.attempts,
        lastError: mail.last_error,
        sentAt: mail.sent_at,
        queuedAt: mail.created_at,
      })),
  };
}

export function toAssociation(row: Row<'associations'>): ConsultantAssociation {
  return {
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    objectId: row.object_id,
    partnerId: row.partner_id,
    linkedAt: row.linked_at,
    status: row.status,
    verdict: row.verdict,
    lastCheckedAt: row.last_checked_at,
  };
}
