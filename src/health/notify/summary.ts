import { formatDateInWords } from '../../mail/render.ts';
import type { RunReport } from '../report.ts';
import {
  REINVITE_VERDICTS,
  type ReinvitePolicy,
  type VerdictWords,
  verdictRank,
  verdictWords,
} from './verdicts.ts';

export type Transition = RunReport['transitions'][number];

/** What the self-healing step did for one consultant; the digest and the chat message say it. */
export type ReinviteOutcome =
  | { status: 'reinvited'; invitationId: string }
  | { status: 'rate_limited'; lastSentAt: string }
  | { status: 'offboarded' | 'not_on_roster' | 'failed' };

export interface NotedTransition extends Transition {
  /** One sentence about this consultant in particular (what the re-invitation step did). */
  note: string | undefined;
}

export interface VerdictGroup {
  verdict: string;
  words: VerdictWords;
  items: NotedTransition[];
}

export interface RunSummary {
  /** "1 alert, 3 changes, 2 need action". */
  counts: { alerts: number; changes: number; needAction: number };
  /** Transitions grouped by the verdict they moved to, worst first; within a group by name. */
  groups: VerdictGroup[];
}

/** A day in words, without a time: the reader's time zone is unknown and the day is what matters. */
const day = (iso: string) => formatDateInWords(new Date(iso));

/**
 * Re-invitations follow transitions: a consultant left at `pal_missing` is not re-invited by the next
 * run (their open link gets the usual reminders), so no note promises a later automatic link.
 */
export function outcomeNote(
  outcome: ReinviteOutcome | undefined,
  policy: ReinvitePolicy,
): string | undefined {
  switch (outcome?.status) {
    case undefined:
      return undefined;
    case 'reinvited':
      return 'A fresh link was emailed to the consultant.';
    case 'rate_limited':
      return `No new link: one was already emailed on ${day(outcome.lastSentAt)} (one every ${policy.minDays} days at most).`;
    case 'offboarded':
      return 'Not re-invited: the consultant is offboarded.';
    case 'not_on_roster':
      return 'Not re-invited: the consultant is no longer on the roster.';
    case 'failed':
      return 'The re-invitation failed (see the server log): send a new link from PAL Manager.';
  }
}

export function summariseRun(
  report: RunReport,
  outcomes: ReadonlyMap<string, ReinviteOutcome>,
  policy: ReinvitePolicy,
): RunSummary {
  const byVerdict = new Map<string, NotedTransition[]>();
  for (const transition of report.transitions) {
    const note = REINVITE_VERDICTS.has(transition.to)
      ? outcomeNote(outcomes.get(transition.consultantId), policy)
      : undefined;
    const items = byVerdict.get(transition.to) ?? [];
    items.push({ ...transition, note });
    byVerdict.set(transition.to, items);
  }
  const groups = [...byVerdict.entries()]
    .sort(([a], [b]) => verdictRank(a) - verdictRank(b) || a.localeCompare(b))
    .map(([verdict, items]) => ({
      verdict,
      words: verdictWords(verdict, policy),
      items: items.sort(
        (a, b) =>
          nameOf(a).localeCompare(nameOf(b)) ||
          (a.tenantName ?? a.tenantId).localeCompare(b.tenantName ?? b.tenantId),
      ),
    }));
  return {
    counts: {
      alerts: report.adminAlerts.length,
      changes: report.transitions.length,
      needAction: groups.filter((g) => g.words.needsAction).reduce((sum, g) => sum + g.items.length, 0),
    },
    groups,
  };
}

export const nameOf = (t: Pick<Transition, 'displayName' | 'email'>) => t.displayName.trim() || t.email;
export const tenantOf = (t: Pick<Transition, 'tenantName' | 'tenantId'>) =>
  t.tenantName?.trim() || t.tenantId;

/** Counts by verdict, worst first, without zeros; keys that are not verdicts (a total) are left out. */
export function orderedCounts(counts: Record<string, number>): { verdict: string; count: number }[] {
  return Object.entries(counts)
    .filter(([verdict, count]) => verdict !== 'total' && Number.isFinite(count) && count > 0)
    .sort(([a], [b]) => verdictRank(a) - verdictRank(b) || a.localeCompare(b))
    .map(([verdict, count]) => ({ verdict, count }));
}

/** `AADSTS700082`, `HTTP 503`, `AuthorizationFailed`: an error code, never an error text. */
const SAFE_CODE = /^[A-Za-z0-9_.: -]{1,40}$/;
const PARTNER_ID = /^\d{4,10}$/;

/**
 * A line of evidence for the digest. The evidence is whatever the engine stored, so only known keys
 * with harmless shapes are read (an error code, a partner ID, role names): nothing else, and so no
 * token or error body, can reach a mail.
 */
export function evidenceLine(evidence: unknown): string | undefined {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) return undefined;
  const record = evidence as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof record.errorCode === 'string' && SAFE_CODE.test(record.errorCode))
    parts.push(`error ${record.errorCode}`);
  if (typeof record.partnerId === 'string' && PARTNER_ID.test(record.partnerId))
    parts.push(`linked to partner ID ${record.partnerId}`);
  if (Array.isArray(record.roles)) {
    const names = record.roles
      .map((role) => (typeof role === 'string' ? role : (role as { roleName?: unknown })?.roleName))
      .filter((name): name is string => typeof name === 'string' && name.trim() !== '')
      .map((name) => (name.length > 60 ? `${name.slice(0, 59)}…` : name));
    const unique = [...new Set(names)];
    if (unique.length > 0)
      parts.push(
        `roles: ${unique.slice(0, 3).join(', ')}${unique.length > 3 ? ` and ${unique.length - 3} more` : ''}`,
      );
  }
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/**
 * Admin alerts are free text from the engine (often an identity-platform message). Whatever shape a
 * credential could have there is cut out before it goes to a mail or a chat: JWTs, bearer values,
 * our own link and API tokens, and `name=value` pairs whose name says secret.
 */
export function withoutSecrets(text: string): string {
  return text
    .replace(/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, '[redacted]')
    .replace(/\bbearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\b(?:pal|inv)_[A-Za-z0-9_-]{40,}/g, '[redacted]')
    .replace(/\b([\w-]*(?:token|secret|password|assertion|sig|code)[\w-]*)=[^\s&;,]+/gi, '$1=[redacted]');
}

/** Where a reader goes next. The admin API is the console's backend until the console has pages. */
export function runLinks(publicBaseUrl: string, runId: string) {
  return {
    console: `${publicBaseUrl}/`,
    run: `${publicBaseUrl}/api/health-checks/${encodeURIComponent(runId)}`,
    findings: (verdict: string) => `${publicBaseUrl}/api/associations?verdict=${encodeURIComponent(verdict)}`,
  };
}
