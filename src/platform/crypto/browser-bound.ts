import type { Clock } from '../clock.ts';
import type { TokenHasher } from './secret-tokens.ts';

/** The columns every browser-bound, single-use sign-in attempt has (consultant and admin sign-ins). */
export interface BrowserBoundRow {
  id: string;
  browser_hash: string;
  expires_at: string;
  used_at: string | null;
}

export type ClaimRefusal = { ok: false; reason: 'unknown' | 'expired' | 'used' | 'other_browser' };

/**
 * Decides whether an OAuth callback may continue an attempt, and claims it once. The browser check
 * comes first, so a forged callback from another browser cannot burn a real attempt; `markUsed` must be
 * a single conditional update (used_at still null), so two callbacks cannot both win.
 */
export async function claimBrowserBound<R extends BrowserBoundRow>(
  row: R | undefined,
  browserSecret: string | undefined,
  deps: { tokenHasher: TokenHasher; clock: Clock },
  markUsed: (id: string, at: string) => Promise<boolean>,
): Promise<{ ok: true; row: R } | ClaimRefusal> {
  if (!row) return { ok: false, reason: 'unknown' };
  if (!browserSecret || !deps.tokenHasher.candidates(browserSecret).includes(row.browser_hash)) {
    return { ok: false, reason: 'other_browser' };
  }
  const now = deps.clock.now().toISOString();
  if (row.used_at) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  if (!(await markUsed(row.id, now))) return { ok: false, reason: 'used' };
  return { ok: true, row };
}
