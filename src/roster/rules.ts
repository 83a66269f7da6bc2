import { isPartnerIdShape, type PartnerLocation } from '../platform/config/partner-ids.ts';

/**
 * Roster rules that need the partner's configuration, kept pure so they are tested without a database.
 * Messages name the valid choices: the admin reading one should not have to look anything up.
 */

export interface PartnerIds {
  globalId: string;
  locations: PartnerLocation[];
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

const choices = (partner: PartnerIds) => partner.locations.map((l) => l.id).join(', ');
const labelledChoices = (partner: PartnerIds) =>
  partner.locations.map((l) => `${l.id} (${l.label})`).join(', ');

/** The location a consultant belongs to: the requested one if it is one of ours, else the default. */
export function resolveLocation(
  requested: string | undefined,
  partner: PartnerIds,
): Resolved<PartnerLocation> {
  if (requested === undefined) {
    const fallback = partner.locations.find((l) => l.isDefault) ?? partner.locations[0];
    return fallback
      ? { ok: true, value: fallback }
      : { ok: false, message: 'no partner location is configured' };
  }
  const id = requested.trim();
  if (id === partner.globalId) {
    return {
      ok: false,
      message: `${id} is the partner's global ID (PGA); PAL needs a location ID (PLA): one of ${choices(partner)}`,
    };
  }
  const location = partner.locations.find((l) => l.id === id);
  if (location) return { ok: true, value: location };
  const what = isPartnerIdShape(id)
    ? "is not one of the partner's location IDs"
    : 'is not a location ID (4 to 10 digits)';
  return { ok: false, message: `${JSON.stringify(id)} ${what}; use one of ${labelledChoices(partner)}` };
}

/** The partner's own tenant is never PAL-linked (design §4), so expecting consultants to link there is a mistake. */
export function checkCustomerTenants(tenants: string[], partnerTenantId: string): Resolved<string[]> {
  if (tenants.includes(partnerTenantId.toLowerCase())) {
    return {
      ok: false,
      message: `${partnerTenantId} is the partner's own tenant (AZURE_TENANT_ID); customerTenants lists customers' tenants`,
    };
  }
  return { ok: true, value: tenants };
}

/** What a consultant is called when the admin gave no name: the mailbox part of the address. */
export function defaultDisplayName(email: string): string {
  return email.slice(0, email.lastIndexOf('@')) || email;
}
