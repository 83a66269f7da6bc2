import { type Authority, authorityPathSegment } from './authority.ts';

/**
 * OpenID Provider metadata shaped like `login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration`.
 * MSAL caches the document per host and rewrites the first path segment for other tenants, which is
 * why the endpoints must carry the tenant segment literally (`organizations`, or the GUID even when
 * the request named a domain) and the multi-tenant issuer the literal `{tenantid}` placeholder.
 */
export function openIdConfiguration(
  baseUrl: string,
  authority: Authority,
  browserUrl: string = baseUrl,
): Record<string, unknown> {
  const segment = authorityPathSegment(authority);
  const base = `${baseUrl}/${segment}`;
  // Pages a person's browser opens are served from `browserUrl` (plain HTTP on loopback in the sandbox,
  // so nobody meets a certificate warning); the back-channel endpoints stay on HTTPS.
  const browserBase = `${browserUrl}/${segment}`;
  const issuerTenant = authority.kind === 'multi' ? '{tenantid}' : authority.tenant.id;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${baseUrl}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${browserBase}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${browserBase}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: authority.kind === 'multi' ? null : 'EU',
    cloud_instance_name: new URL(baseUrl).host,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * Instance discovery (`/common/discovery/instance`). MSAL asks Microsoft's own host for this, never
 * a known authority, so it exists for other clients that ask the authority itself.
 */
export function instanceDiscovery(baseUrl: string, authorizationEndpoint: string | undefined) {
  const host = new URL(baseUrl).host;
  let tenant = 'common';
  try {
    const url = new URL(authorizationEndpoint ?? '');
    if (url.host === host) tenant = url.pathname.split('/').filter(Boolean)[0] ?? 'common';
  } catch {
    // No or unparsable authorization endpoint: describe the common authority.
  }
  return {
    tenant_discovery_endpoint: `${baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
