/** Who the partner is, as far as the PAL decision is concerned. */
export interface PartnerIds {
  globalId: string;
  locationIds: string[];
}

export type LinkDecision =
  /** No link yet: PUT the consultant's location ID. */
  | { action: 'create' }
  /** Already linked to the consultant's location ID. */
  | { action: 'keep' }
  /** Linked to one of our other IDs, or to our global ID (which never counts): PATCH to the right one. */
  | { action: 'repoint'; from: string; reason: 'other_location' | 'global_id' }
  /** Linked to another partner: only the consultant may decide to replace it. */
  | { action: 'ask'; from: string };

/**
 * The PAL decision of DESIGN §4 step 4, for one identity in one tenant. `current` is the partner ID
 * the identity is linked to now (null when there is no active link); `target` the consultant's PLA.
 */
export function decideLink(current: string | null, target: string, partner: PartnerIds): LinkDecision {
  if (target === partner.globalId) throw new Error('the global ID is never a PAL target');
  if (current === null) return { action: 'create' };
  if (current === target) return { action: 'keep' };
  if (current === partner.globalId) return { action: 'repoint', from: current, reason: 'global_id' };
  if (partner.locationIds.includes(current))
    return { action: 'repoint', from: current, reason: 'other_location' };
  return { action: 'ask', from: current };
}

/** How a link relates to the consultant's expected ID; the health check uses this too. */
export function linkMatches(current: string | null, target: string): 'missing' | 'match' | 'mismatch' {
  if (current === null) return 'missing';
  return current === target ? 'match' : 'mismatch';
}
