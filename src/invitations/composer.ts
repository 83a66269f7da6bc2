import type { InvitationMailInput, RenderedMail } from '../mail/render.ts';
import type { Composer } from '../outbox/worker.ts';
import type { Config } from '../platform/config/index.ts';
import type { Db } from '../platform/db/connection.ts';
import type { InvitationService } from './service.ts';

export interface ComposerDeps {
  db: Db;
  config: Pick<Config, 'partner' | 'publicBaseUrl'>;
  invitations: InvitationService;
  render: (input: InvitationMailInput) => RenderedMail;
}

const LINK_KINDS = new Set(['invitation', 'reminder', 'reinvite']);

/**
 * Builds each outbox message at the moment it is sent. Invitation mails are rendered from the live
 * invitation, so a link that was superseded, revoked or used meanwhile is not mailed at all; other
 * kinds carry their stored body.
 */
export function createInvitationComposer(deps: ComposerDeps): Composer {
  return async (row) => {
    // The outbox row's ID is the Message-ID: a message retried after a crash keeps it, so mail systems
    // and people can tell a duplicate.
    const messageId = row.id;
    if (!LINK_KINDS.has(row.kind)) {
      if (row.subject === null || row.text_body === null || row.html_body === null)
        return { skip: 'message has no body' };
      return {
        mail: {
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          messageId,
        },
      };
    }
    const invitation = row.invitation_id
      ? await deps.invitations.store.findById(row.invitation_id)
      : undefined;
    if (!invitation) return { skip: 'the invitation no longer exists' };
    if (invitation.state !== 'open') return { skip: `the invitation is ${invitation.state}` };
    const url = deps.invitations.urlFor(invitation);
    if (!url) return { skip: 'the key this link was made with is no longer configured' };
    const consultant = await deps.db
      .selectFrom('consultants')
      .innerJoin('locations', 'locations.id', 'consultants.location_id')
      .select([
        'consultants.display_name',
        'consultants.location_id',
        'locations.label',
        'consultants.status',
      ])
      .where('consultants.id', '=', invitation.consultant_id)
      .executeTakeFirst();
    if (!consultant || consultant.status !== 'active') return { skip: 'the consultant was offboarded' };
    const rendered = deps.render({
      partnerName: deps.config.partner.name,
      consultantName: consultant.display_name,
      locationId: consultant.location_id,
      locationLabel: consultant.label,
      url,
      expiresAt: new Date(invitation.expires_at),
      kind: row.kind as InvitationMailInput['kind'],
      ...(row.subject ? { reason: row.subject } : {}),
    });
    return { mail: { to: row.to_address, ...rendered, messageId } };
  };
}
