import type { Evidence } from './check-association.ts';
import type { Verdict } from './verdict.ts';

/** What an association showed before this run. */
export interface Shown {
  verdict: string | null;
  since: string | null;
  evidence: unknown;
}

export interface Settled {
  /** What the association shows from now on. */
  verdict: string;
  since: string | null;
  /** 1 when `verdict` is an older one kept because this check failed. */
  stale: 0 | 1;
  evidence: unknown;
  /** Set when admins should hear about it: the shown verdict changed. */
  transition: { from: string | null; to: string } | undefined;
}

/**
 * How one check's verdict changes what the association shows (DESIGN §6 step 5). A failed check keeps
 * the last known verdict, marked stale, with the failure beside its evidence — a transient error never
 * replaces a real finding, and is reported only when there was nothing to keep.
 */
export function settle(
  previous: Shown,
  outcome: { verdict: Verdict; evidence: Evidence },
  now: string,
): Settled {
  if (outcome.verdict === 'check_failed') {
    if (previous.verdict === null) {
      return {
        verdict: 'check_failed',
        since: now,
        stale: 0,
        evidence: outcome.evidence,
        transition: transitionOf(null, 'check_failed'),
      };
    }
    if (previous.verdict === 'check_failed') {
      return {
        verdict: 'check_failed',
        since: previous.since,
        stale: 0,
        evidence: outcome.evidence,
        transition: undefined,
      };
    }
    const { errorCode, errorKind, message } = outcome.evidence;
    return {
      verdict: previous.verdict,
      since: previous.since,
      stale: 1,
      evidence: {
        ...(isObject(previous.evidence) ? previous.evidence : {}),
        staleSince: staleSince(previous.evidence) ?? now,
        lastFailure: { errorCode, errorKind, message, adminAlert: outcome.evidence.adminAlert, at: now },
      },
      transition: undefined,
    };
  }
  const changed = outcome.verdict !== previous.verdict;
  return {
    verdict: outcome.verdict,
    since: changed ? now : previous.since,
    stale: 0,
    evidence: outcome.evidence,
    transition: transitionOf(previous.verdict, outcome.verdict),
  };
}

/**
 * Whether a check that found `verdict` where `previous` was shown is news for admins. A failed check
 * is news only when nothing was known before (otherwise the older verdict stays, marked stale). Pure
 * in the two verdicts, so a finished run's transitions can be read back from its verdict rows.
 */
export function transitionOf(previous: string | null, verdict: string): Settled['transition'] {
  if (verdict === 'check_failed') return previous === null ? { from: null, to: verdict } : undefined;
  return verdict === previous ? undefined : { from: previous, to: verdict };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** When the kept verdict first went stale: several failed runs in a row keep the first time. */
function staleSince(evidence: unknown): string | undefined {
  return isObject(evidence) && typeof evidence.staleSince === 'string' ? evidence.staleSince : undefined;
}
