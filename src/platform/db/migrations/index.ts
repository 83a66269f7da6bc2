import type { Migration, MigrationProvider } from 'kysely/migration';
import { initial } from './001-initial.ts';
import { signIn } from './002-sign-in.ts';
import { outbox } from './003-outbox.ts';
import { healthRuns } from './004-health-runs.ts';
import { consoleSessions } from './005-console-sessions.ts';
import { distributedRuns } from './006-distributed-runs.ts';
import { automationIdentities } from './007-automation-identities.ts';
import { rateLimits } from './008-rate-limits.ts';
import { invitationFollowUps } from './009-invitation-follow-ups.ts';

/**
 * Numbered migrations, applied in name order at start-up. Add a file `NNN-what.ts` and list it here;
 * never edit one that has shipped.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-sign-in': signIn,
  '003-outbox': outbox,
  '004-health-runs': healthRuns,
  '005-console-sessions': consoleSessions,
  '006-distributed-runs': distributedRuns,
  '007-automation-identities': automationIdentities,
  '008-rate-limits': rateLimits,
  '009-invitation-follow-ups': invitationFollowUps,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
