import { readFileSync } from 'node:fs';
import nock from 'nock';

/** The real Microsoft hosts, intercepted: component tests prove the production adapters talk right. */
export const LOGIN = 'https://login.microsoftonline.com';
export const ARM = 'https://management.azure.com';

const FIXTURES = new URL('../fixtures/azure/', import.meta.url);

/** A recorded Azure response body, verbatim. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8').trim();
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An (unsigned) JWT: MSAL decodes ID tokens for claims, and our adapter reads tid/oid from access tokens. */
export function jwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64(claims)}.c2lnbmF0dXJl`;
}

/** OpenID metadata for a tenant path, as the adapter fetches it once per tenant. */
export function mockDiscovery(tenant: string) {
  const issuerTenant = tenant === 'organizations' || tenant === 'common' ? '{tenantid}' : tenant;
  return nock(LOGIN)
    .get(`/${tenant}/v2.0/.well-known/openid-configuration`)
    .reply(200, {
      token_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/token`,
      authorization_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/logout`,
      jwks_uri: `${LOGIN}/${tenant}/discovery/v2.0/keys`,
      issuer: `${LOGIN}/${issuerTenant}/v2.0`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    })
    .persist();
}

export interface TestPerson {
  homeTenantId: string;
  homeObjectId: string;
  upn: string;
  name: string;
  /** Object IDs in customer tenants (guests have a different one in each). */
  objectIdIn: Record<string, string>;
}

export function clientInfo(person: TestPerson): string {
  return b64({ uid: person.homeObjectId, utid: person.homeTenantId });
}

/** A token response for `person` in `tenantId`, shaped like Microsoft's v2 endpoint's. */
export function tokenResponse(
  person: TestPerson,
  tenantId: string,
  extra: { nonce?: string; clientId: string },
) {
  const objectId = tenantId === person.homeTenantId ? person.homeObjectId : person.objectIdIn[tenantId];
  const now = Math.floor(Date.now() / 1000);
  return {
    token_type: 'Bearer',
    scope: 'https://management.azure.com/user_impersonation',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: jwt({
      aud: 'https://management.azure.com/',
      tid: tenantId,
      oid: objectId,
      upn: person.upn,
      iat: now,
      exp: now + 3599,
    }),
    refresh_token: `rt-${tenantId}-${now}`,
    id_token: jwt({
      aud: extra.clientId,
      iss: `${LOGIN}/${tenantId}/v2.0`,
      tid: tenantId,
      oid: objectId,
      sub: `sub-${objectId}`,
      preferred_username: person.upn,
      name: person.name,
      ver: '2.0',
      iat: now,
      nbf: now,
      exp: now + 3599,
      ...(extra.nonce ? { nonce: extra.nonce } : {}),
    }),
    client_info: clientInfo(person),
  };
}

/** Microsoft's token-endpoint error body for an AADSTS code. */
export function aadstsError(code: number, error: string, description: string, suberror?: string) {
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: 0000 Correlation ID: 0000 Timestamp: 2026-11-20 09:00:00Z`,
    error_codes: [code],
    timestamp: '2026-11-20 09:00:00Z',
    trace_id: '00000000-0000-0000-0000-000000000000',
    correlation_id: '00000000-0000-0000-0000-000000000000',
    ...(suberror ? { suberror } : {}),
  };
}

export { nock };
