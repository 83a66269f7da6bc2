import { parseJson } from '../health/store.ts';
import type { Row } from '../platform/db/tables.ts';
import type { CredentialKind } from './model.ts';
import type { IdentityRow } from './store.ts';

/** An automation identity as the API, the CLI and the console show it: never its secret. */
export interface IdentityView {
  id: string;
  displayName: string;
  tenantId: string;
  clientId: string;
  credential: { type: CredentialKind; variable?: string; path?: string };
  /** The partner's own identity in its own tenant (Azure Lighthouse): delegated roles are not visible. */
  lighthouse: boolean;
  locationId: string;
  objectId: string | null;
  createdAt: string;
  updatedAt: string;
  association: {
    id: string;
    tenantId: string;
    objectId: string;
    partnerId: string;
    previousPartnerId: string | null;
    linkedAt: string;
    lastCheckedAt: string | null;
    verdict: string | null;
    verdictSince: string | null;
    stale: boolean;
    evidence: unknown;
  } | null;
}

export function toView(row: IdentityRow, association: Row<'associations'> | null): IdentityView {
  return {
    id: row.id,
    displayName: row.display_name,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    credential: {
      type: row.credential_kind,
      ...(row.secret_env ? { variable: row.secret_env } : {}),
      ...(row.certificate_path ? { path: row.certificate_path } : {}),
    },
    lighthouse: row.lighthouse === 1,
    locationId: row.location_id,
    objectId: row.object_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    association: association
      ? {
          id: association.id,
          tenantId: association.tenant_id,
          objectId: association.object_id,
          partnerId: association.partner_id,
          previousPartnerId: association.previous_partner_id,
          linkedAt: association.linked_at,
          lastCheckedAt: association.last_checked_at,
          verdict: association.verdict,
          verdictSince: association.verdict_since,
          stale: association.verdict_stale === 1,
          evidence: parseJson(association.evidence),
        }
      : null,
  };
}
