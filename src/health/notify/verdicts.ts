import { VERDICTS } from '../../pal/verdicts.ts';

/**
 * The verdicts in plain words, for people who read a digest or a chat message without the design
 * document at hand: what each one means and what happens next on its own. DESIGN.md §6 is the source.
 */

/** Worst first (DESIGN §6): the order transitions are listed in and the order counts are shown in. */
const VERDICT_ORDER: readonly string[] = VERDICTS;

/** Verdicts a fresh invitation link repairs: the consultant signs in once and the link is set again. */
export const REINVITE_VERDICTS: ReadonlySet<string> = new Set([
  'reauth_required',
  'pal_missing',
  'pal_mismatch',
]);

export type Tone = 'bad' | 'warn' | 'good' | 'neutral';

export interface VerdictWords {
  label: string;
  meaning: string;
  /** What happens without anyone doing anything. */
  automatic: string;
  tone: Tone;
  /** Someone (an admin, the consultant or the customer) has to do something. */
  needsAction: boolean;
}

export interface ReinvitePolicy {
  enabled: boolean;
  minDays: number;
}

const reinviteWords = (policy: ReinvitePolicy, fix: string) =>
  policy.enabled
    ? `The consultant is emailed a fresh link${fix} (at most once every ${policy.minDays} days).`
    : `Automatic re-invitations are off (AUTO_REINVITE=false): send the consultant a new link${fix}.`;

export function verdictWords(verdict: string, policy: ReinvitePolicy): VerdictWords {
  switch (verdict) {
    case 'account_revoked':
      return {
        label: 'Account revoked',
        meaning:
          'The account is disabled, deleted or removed from the customer tenant, or its sign-ins were revoked. Work done under it is no longer credited.',
        automatic:
          'Nothing happens automatically: check with the consultant or the customer whether the account should still exist, and offboard the consultant if they have left.',
        tone: 'bad',
        needsAction: true,
      };
    case 'reauth_required':
      return {
        label: 'Sign-in needed',
        meaning:
          'PAL Manager can no longer check this account: its sign-in expired, or the customer now requires MFA, Conditional Access or consent from the person.',
        automatic: reinviteWords(policy, ' to sign in again'),
        tone: 'bad',
        needsAction: true,
      };
    case 'check_failed':
      return {
        label: 'Check failed',
        meaning:
          'A temporary error (throttling, a server error or the network) stopped the check after retries. The previous result stays visible, marked as stale.',
        automatic: 'Nothing to do: the next run checks again.',
        tone: 'neutral',
        needsAction: false,
      };
    case 'pal_missing':
      return {
        label: 'PAL link missing',
        meaning:
          'This identity has no Partner Admin Link in the customer tenant, so its work there is not credited to the partner.',
        automatic: reinviteWords(policy, '; one sign-in sets the link again'),
        tone: 'bad',
        needsAction: true,
      };
    case 'pal_mismatch':
      return {
        label: 'Linked to another ID',
        meaning:
          "The identity is linked to a partner ID other than its location's ID (perhaps another partner's), so the credit goes elsewhere.",
        automatic: reinviteWords(
          policy,
          "; signing in corrects the link (they are asked first if another partner's ID would be replaced)",
        ),
        tone: 'bad',
        needsAction: true,
      };
    case 'no_access':
      return {
        label: 'No role assignment',
        meaning:
          'Linked correctly, but the identity has no active role assignment anywhere in the tenant, so nothing is attributed.',
        automatic:
          'Nothing happens automatically: check with the customer whether the consultant should still have access.',
        tone: 'warn',
        needsAction: true,
      };
    case 'reader_only':
      return {
        label: 'Reader only',
        meaning:
          'Linked, but none of its roles is eligible for partner incentives (Reader, User Access Administrator, read-only custom roles): attributed, not eligible.',
        automatic:
          'Nothing happens automatically: if the consultant does hands-on work, ask the customer for an eligible role such as Contributor.',
        tone: 'warn',
        needsAction: true,
      };
    case 'healthy':
      return {
        label: 'Healthy',
        meaning: 'Linked to the right partner ID with at least one incentive-eligible role.',
        automatic: 'Nothing to do.',
        tone: 'good',
        needsAction: false,
      };
    default:
      return {
        label: verdict,
        meaning: 'A verdict this version of the notifier does not describe.',
        automatic: 'See the association in PAL Manager.',
        tone: 'neutral',
        needsAction: false,
      };
  }
}

/** Rank for sorting worst first; verdicts this version does not know sort just before `healthy`. */
export function verdictRank(verdict: string): number {
  const index = VERDICT_ORDER.indexOf(verdict);
  if (index !== -1) return index;
  return VERDICT_ORDER.length - 1.5;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "1 alert, 3 changes, 2 need action" — the headline of the digest subject and the chat message. */
export function headline(counts: { alerts: number; changes: number; needAction: number }): string {
  const parts: string[] = [];
  if (counts.alerts > 0) parts.push(plural(counts.alerts, 'alert', 'alerts'));
  parts.push(counts.changes === 0 ? 'no changes' : plural(counts.changes, 'change', 'changes'));
  if (counts.needAction > 0)
    parts.push(`${counts.needAction} ${counts.needAction === 1 ? 'needs' : 'need'} action`);
  return parts.join(', ');
}
