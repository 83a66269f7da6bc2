/**
 * Partner ID rules shared by configuration, the roster and the PAL decision.
 * Microsoft publishes no format; IDs seen in the wild are 5–8 digits. We accept 4–10 digits so an
 * unusual but genuine ID is not refused, while anything else (names, GUIDs, typos with letters) is.
 */
export const PARTNER_ID_PATTERN = /^\d{4,10}$/;

export function isPartnerIdShape(value: string): boolean {
  return PARTNER_ID_PATTERN.test(value);
}

export interface PartnerLocation {
  id: string;
  label: string;
  isDefault: boolean;
}

export type LocationParse = { ok: true; locations: PartnerLocation[] } | { ok: false; problems: string[] };

/** Parses `ID[:Label]` entries, comma-separated; the first is the default location. */
export function parseLocationList(raw: string, globalId: string | undefined): LocationParse {
  const problems: string[] = [];
  const locations: PartnerLocation[] = [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) problems.push('give at least one location ID, e.g. 1234567:United Kingdom');
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = (colon === -1 ? entry : entry.slice(0, colon)).trim();
    const label = (colon === -1 ? '' : entry.slice(colon + 1)).trim();
    if (!isPartnerIdShape(id)) {
      problems.push(`${JSON.stringify(id)} is not a partner ID (4 to 10 digits)`);
      continue;
    }
    if (globalId !== undefined && id === globalId) {
      problems.push(`${id} is the global ID (PARTNER_GLOBAL_ID); PAL needs a location ID`);
      continue;
    }
    if (locations.some((known) => known.id === id)) {
      problems.push(`${id} is listed twice`);
      continue;
    }
    locations.push({ id, label: label || `Location ${id}`, isDefault: locations.length === 0 });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, locations };
}
