import { compactVerify, importX509 } from 'jose';
import { generate } from 'selfsigned';
import { apiTestApp } from '../api/support.ts';
import { testConfig } from '../support/app.ts';
import { ARM, aadstsError, fixture, jwt, LOGIN, mockDiscovery, nock } from '../support/microsoft-nock.ts';

export const CUSTOMER_TENANT = '1b1121dd-6900-412a-af73-e8d44f81e1c1';
export const PARTNER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SUBSCRIPTION = 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2';
export const APP = '5e0a11ce-0001-4f00-8000-000000000001';
export const SP_OBJECT = '5e0b1ec7-0001-4f00-8000-000000000001';
export const PM = '/providers/Microsoft.ManagementPartner/partners';
export const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const json = { 'content-type': 'application/json; charset=utf-8' };

/** The app with recorded partner IDs (123456 is the location the recordings link to). */
export async function automationApp(extraEnv: Record<string, string> = {}) {
  const config = testConfig({
    AZURE_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    AZURE_TENANT_ID: PARTNER_TENANT,
    AZURE_CLIENT_SECRET: 'component-test-secret',
    PARTNER_NAME: 'Contoso',
    PARTNER_GLOBAL_ID: '123455',
    PARTNER_LOCATION_IDS: '123456:United Kingdom,123457:Germany',
    ...extraEnv,
  });
  return apiTestApp({ config, armRetry: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 } });
}

export interface TokenRequest {
  tenant: string;
  form: URLSearchParams;
}

/**
 * Microsoft's token endpoint for client credentials, per tenant: `answer` decides from the form what
 * comes back (a token for SP_OBJECT, or an AADSTS error). Every request is recorded.
 */
export function tokenEndpoint(
  tenant: string,
  answer: (form: URLSearchParams) => 'ok' | { aadsts: number; error: string; status: number },
) {
  const requests: TokenRequest[] = [];
  mockDiscovery(tenant);
  // MSAL asks Microsoft's instance discovery once for a Microsoft authority.
  nock(LOGIN)
    .get('/common/discovery/instance')
    .query(true)
    .reply(200, {
      tenant_discovery_endpoint: `${LOGIN}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: 'login.microsoftonline.com',
          preferred_cache: 'login.windows.net',
          aliases: [
            'login.microsoftonline.com',
            'login.windows.net',
            'login.microsoft.com',
            'sts.windows.net',
          ],
        },
      ],
    })
    .persist();
  nock(LOGIN)
    .post(`/${tenant}/oauth2/v2.0/token`)
    .query(true)
    .reply(async (request: Request) => {
      const form = new URLSearchParams(await request.text());
      requests.push({ tenant, form });
      const verdict = answer(form);
      if (verdict !== 'ok') {
        return [verdict.status, aadstsError(verdict.aadsts, verdict.error, 'Refused.'), json];
      }
      const now = Math.floor(Date.now() / 1000);
      return [
        200,
        {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: jwt({
            aud: 'https://management.azure.com/',
            tid: tenant,
            oid: SP_OBJECT,
            appid: APP,
            idtyp: 'app',
            iat: now,
            exp: now + 3599,
          }),
        },
        json,
      ];
    })
    .persist();
  return requests;
}

export const EXPIRED = { aadsts: 7000222, error: 'invalid_client', status: 401 };
export const WRONG_SECRET = { aadsts: 7000215, error: 'invalid_client', status: 401 };
export const NO_APP = { aadsts: 700016, error: 'unauthorized_client', status: 400 };

/** Resource Manager for the service principal: PAL link state kept here, roles as given. */
export function resourceManager(options: { roles: string[]; subscriptions?: string[]; tenant?: string }) {
  let linked: string | null = null;
  const calls: string[] = [];
  const tenant = options.tenant ?? CUSTOMER_TENANT;
  const body = (partnerId: string) =>
    fixture('managementpartner-put-200.json')
      .replaceAll('123456', partnerId)
      .replaceAll(CUSTOMER_TENANT, tenant);
  nock(ARM)
    .get(PM)
    .query(true)
    .reply(() => {
      calls.push('GET partners');
      return linked
        ? [200, body(linked), json]
        : [404, fixture('managementpartner-get-404-not-linked.json'), json];
    })
    .persist();
  nock(ARM)
    .put(/\/providers\/Microsoft\.ManagementPartner\/partners\/\d+/)
    .query(true)
    .reply((request: Request) => {
      linked = new URL(request.url).pathname.split('/').pop() ?? null;
      calls.push(`PUT ${linked}`);
      return [200, body(linked ?? ''), json];
    })
    .persist();
  const subscriptions = options.subscriptions ?? [SUBSCRIPTION];
  nock(ARM)
    .get('/subscriptions')
    .query(true)
    .reply(() => {
      calls.push('GET subscriptions');
      return [
        200,
        {
          value: subscriptions.map((subscriptionId) => ({
            id: `/subscriptions/${subscriptionId}`,
            subscriptionId,
            tenantId: tenant,
            displayName: 'Production',
            state: 'Enabled',
          })),
        },
        json,
      ];
    })
    .persist();
  nock(ARM)
    .get(/\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleAssignments/)
    .query(true)
    .reply((request: Request) => {
      calls.push(`GET roleAssignments ${new URL(request.url).searchParams.get('$filter')}`);
      return [
        200,
        {
          value: options.roles.map((role, i) => ({
            id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/a-${i}`,
            name: `a-${i}`,
            type: 'Microsoft.Authorization/roleAssignments',
            properties: {
              roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
              principalId: SP_OBJECT,
              principalType: 'ServicePrincipal',
              scope: `/subscriptions/${SUBSCRIPTION}`,
            },
          })),
        },
        json,
      ];
    })
    .persist();
  return {
    calls,
    get linked() {
      return linked;
    },
  };
}

/** A self-signed certificate and its key in one PEM, as ClientCertificateCredential reads it. */
export async function certificatePem(): Promise<{ pem: string; certificate: string }> {
  const made = await generate([{ name: 'commonName', value: 'pal-test-sp' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return { pem: `${made.private}\n${made.cert}`, certificate: made.cert };
}

/** Whether a client assertion is signed by the certificate's key and made out to this client. */
export async function assertionValid(assertion: string, certificate: string): Promise<boolean> {
  try {
    const header = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString());
    const key = await importX509(certificate, header.alg);
    const { payload } = await compactVerify(assertion, key);
    const claims = JSON.parse(Buffer.from(payload).toString());
    return claims.iss === APP && claims.sub === APP;
  } catch {
    return false;
  }
}

export { nock };
