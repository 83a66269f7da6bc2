import type { Row } from '../platform/db/tables.ts';

/**
 * An automation identity: a service principal (client secret or certificate) or the service's own
 * managed identity / `DefaultAzureCredential`, which PAL Manager links and checks with its own token.
 */
export type CredentialKind = Row<'automation_identities'>['credential_kind'];

/** How an admin hands over a credential. A secret is sealed at once and never shown again. */
export type CredentialInput =
  | { type: 'secret'; secret: string }
  | { type: 'secret_env'; variable: string }
  | { type: 'certificate'; path: string }
  | { type: 'managed_identity' };

/** What the token source needs to act as the identity: the sealed secret, never the clear one. */
export interface IdentityCredential {
  id: string;
  tenantId: string;
  clientId: string;
  kind: CredentialKind;
  sealedSecret: { keyId: string; data: string } | null;
  secretEnv: string | null;
  certificatePath: string | null;
}

/** Environment variables a `secret_env` credential may name: never the service's own settings. */
export const SECRET_ENV_PREFIX = 'PAL_SP_';

export function credentialOf(row: Row<'automation_identities'>): IdentityCredential {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    kind: row.credential_kind,
    sealedSecret:
      row.secret_key_id && row.secret_data ? { keyId: row.secret_key_id, data: row.secret_data } : null,
    secretEnv: row.secret_env,
    certificatePath: row.certificate_path,
  };
}

/** The sealed-box context of an identity's secret: a blob copied to another row does not open. */
export const secretContext = (identityId: string) => `automation-secret:${identityId}`;
