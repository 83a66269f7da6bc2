import { describe, expect, it } from 'vitest';
import type { SandboxTenant } from '../world/model.ts';
import { instanceDiscovery, openIdConfiguration } from './discovery.ts';

const BASE = 'https://localhost:3443';
const tenant: SandboxTenant = {
  id: 'f1b2c3d4-0001-4a6e-9b1d-fab000000001',
  displayName: 'Fabrikam',
  defaultDomain: 'fabrikam.example',
  isPartnerTenant: false,
  userConsentBlocked: false,
  adminConsentGranted: false,
};

describe('OpenID metadata', () => {
  it('keeps organizations in the endpoints and {tenantid} in the issuer, as MSAL expects to rewrite them', () => {
    const doc = openIdConfiguration(BASE, { kind: 'multi', segment: 'organizations' });
    expect(doc.issuer).toBe(`${BASE}/{tenantid}/v2.0`);
    expect(doc.token_endpoint).toBe(`${BASE}/organizations/oauth2/v2.0/token`);
  });

  it('uses the tenant GUID for a tenant named by domain', () => {
    const doc = openIdConfiguration(BASE, { kind: 'tenant', segment: 'fabrikam.example', tenant });
    expect(doc.issuer).toBe(`${BASE}/${tenant.id}/v2.0`);
    expect(doc.authorization_endpoint).toBe(`${BASE}/${tenant.id}/oauth2/v2.0/authorize`);
    expect(doc.jwks_uri).toBe(`${BASE}/${tenant.id}/discovery/v2.0/keys`);
  });

  it('describes this host as its own cloud instance in instance discovery', () => {
    const doc = instanceDiscovery(BASE, `${BASE}/organizations/oauth2/v2.0/authorize`);
    expect(doc.tenant_discovery_endpoint).toBe(`${BASE}/organizations/v2.0/.well-known/openid-configuration`);
    expect(doc.metadata).toEqual([
      { preferred_network: 'localhost:3443', preferred_cache: 'localhost:3443', aliases: ['localhost:3443'] },
    ]);
  });
});
