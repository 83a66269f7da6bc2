import type { InvitationMailInput, RenderedMail } from '../mail/render.ts';
import type { Composed, Composer } from '../outbox/worker.ts';
import type { Config } from '../platform/config/index.ts';
import type { Db } from '../platform/db/connection.ts';
import type { Logger } from '../platform/logger.ts';
import type { InvitationService } from './service.ts';

export interface ComposerDeps {
  db: Db;
  config: Pick<Config, 'partner' | 'publicBaseUrl'>;
  invitations: InvitationService;
  render: (input: InvitationMailInput) => RenderedMail;
  logger: Logger;
}

const LINK_KINDS = new Set(['invitation', 'reminder', 'reinvite']);

/**
 * Builds each outbox message at the moment it is sent. Invitation mails are rendered from the live
 * invitation, so a link that was superseded, revoked or used meanwhile is not mailed at all; other
 * kinds carry their stored body. A claimed slice's invitations, consultants and locations are read
 * in one query.
 */
export function createInvitationComposer(deps: ComposerDeps): Composer {
  async function load(invitationIds: string[]) {
    const query = deps.db
      .selectFrom('invitations')
      .leftJoin('consultants', 'consultants.id', 'invitations.consultant_id')
      .leftJoin('locations', 'locations.id', 'consultants.location_id')
      .select([
        'invitations.id',
        'invitations.state',
        'invitations.expires_at',
        'invitations.token_key_id',
        'consultants.display_name',
        'consultants.location_id',
        'consultants.status',
        'locations.label',
      ])
      .where('invitations.id', 'in', invitationIds);
    const rows = invitationIds.length > 0 ? await query.execute() : [];
    return new Map(rows.map((row) => [row.id, row]));
  }

  return async (rows) => {
    const linked = await load([
      ...new Set(
        rows.flatMap((row) => (LINK_KINDS.has(row.kind) && row.invitation_id ? [row.invitation_id] : [])),
      ),
    ]);
    return rows.map((row): Composed => {
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
      const invitation = row.invitation_id ? linked.get(row.invitation_id) : undefined;
      if (!invitation) return { skip: 'the invitation no longer exists' };
      if (invitation.state !== 'open') return { skip: `the invitation is ${invitation.state}` };
      const url = deps.invitations.urlFor(invitation);
      if (!url) return { skip: 'the key this link was made with is no longer configured' };
      if (invitation.status !== 'active' || invitation.label === null)
        return { skip: 'the consultant was offboarded' };
      try {
        const rendered = deps.render({
          partnerName: deps.config.partner.name,
          consultantName: invitation.display_name ?? '',
          locationId: invitation.location_id ?? '',
          locationLabel: invitation.label,
          url,
          expiresAt: new Date(invitation.expires_at),
          kind: row.kind as InvitationMailInput['kind'],
          ...(row.subject ? { reason: row.subject } : {}),
        });
        return { mail: { to: row.to_address, ...rendered, messageId } };
      } catch (error) {
        deps.logger.error({ err: error, outboxId: row.id }, 'could not compose a message');
        return { retry: 'could not compose the message' };
      }
    });
  };
}
