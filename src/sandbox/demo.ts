import { createAuditLog } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { createInvitationService } from '../invitations/service.ts';
import { createRosterLookups } from '../roster/lookups.ts';
import { createRosterService } from '../roster/service.ts';
import type { World } from './world/world.ts';

/** The people of the seeded world who play consultants in the demo (everyone but the admin). */
const DEMO_CONSULTANTS = [
  'dana.contributor',
  'riley.reader',
  'sam.disabled',
  'noor.noroles',
  'olive.otherpartner',
  'taylor.tailspin',
  'morgan.mfa',
];

export interface DemoInvitation {
  email: string;
  displayName: string;
  url: string;
}

/**
 * Puts the sandbox's consultants on the roster (once) and issues fresh invitation links for two of them,
 * so a newcomer can click straight through the product after `npm start`.
 */
export async function prepareDemo(deps: Deps, world: World): Promise<DemoInvitation[]> {
  const audit = createAuditLog(deps);
  const roster = createRosterService({ ...deps, audit });
  const lookups = createRosterLookups(deps);
  const invitations = createInvitationService(deps);
  const context = { actor: 'sandbox' };
  const ready: DemoInvitation[] = [];
  for (const user of world.state.users) {
    const local = user.upn.split('@')[0] ?? '';
    if (!DEMO_CONSULTANTS.includes(local)) continue;
    const existing = await lookups.findByEmail(user.upn);
    const consultant =
      existing ??
      (await roster.create({ email: user.upn.toLowerCase(), displayName: user.displayName }, context));
    if (consultant.status !== 'active') continue;
    if (local === 'dana.contributor' || local === 'olive.otherpartner') {
      const issued = await invitations.issue({ consultantId: consultant.id });
      ready.push({ email: consultant.email, displayName: consultant.displayName, url: issued.url });
    }
  }
  return ready;
}
