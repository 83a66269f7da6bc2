import type { Evidence } from './check-association.ts';
import type { RunReport } from './report.ts';

type Alert = RunReport['adminAlerts'][number];

/** Why an alert's associations need an admin, by cause; the PAL Manager app's own problems first. */
const BECAUSE: Record<string, string> = {
  app_misconfigured: 'could not be checked because of our own configuration',
  internal: 'could not be checked because of a problem inside PAL Manager',
};

/**
 * Admin alerts of one run, one per cause: an expired app secret fails every association, and admins
 * should read that once, with how many associations and tenants it hit, not thousands of times.
 */
export function createAlertTally() {
  const causes = new Map<string, { kind: string; detail: string; tenants: Set<string>; count: number }>();
  return {
    /** Counts a check whose evidence asks for an admin (`adminAlert`). */
    note(tenantId: string, evidence: Evidence): void {
      if (!evidence.adminAlert) return;
      const { errorKind = 'unknown', errorCode = 'unknown', message = '' } = evidence;
      const key = `${errorKind}:${errorCode}`;
      const cause = causes.get(key) ?? {
        kind: errorKind,
        detail: message.includes(errorCode) ? message : `${errorCode}: ${message}`,
        tenants: new Set<string>(),
        count: 0,
      };
      cause.tenants.add(tenantId);
      cause.count += 1;
      causes.set(key, cause);
    },
    alerts(): Alert[] {
      return [...causes.values()].map((cause) => {
        const [only] = cause.tenants;
        const where = cause.tenants.size === 1 ? 'in one tenant' : `in ${cause.tenants.size} tenants`;
        return {
          kind: cause.kind,
          message: `${cause.count} association(s) ${where} ${BECAUSE[cause.kind] ?? 'need an admin'}. ${cause.detail}`,
          ...(cause.tenants.size === 1 && only ? { tenantId: only } : {}),
        };
      });
    },
  };
}
