import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeEach, expect } from 'vitest';
import { buildTestApp, TEST_ADMIN_TOKEN, testConfig } from '../support/app.ts';
import {
  ARM,
  aadstsError,
  fixture,
  LOGIN,
  mockDiscovery,
  type TestPerson,
  tokenResponse,
} from '../support/microsoft-nock.ts';

/** IDs from the recorded responses, so the recordings can be served verbatim. */
export const CUSTOMER_TENANT = '1b1121dd-6900-412a-af73-e8d44f81e1c1';
export const CUSTOMER_OBJECT = 'aa67f786-0552-423e-8849-244ed12bf581';
export const PARTNER_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const PM = '/providers/Microsoft.ManagementPartner/partners';
export const API_VERSION = { 'api-version': '2018-02-01' };

export const dana: TestPerson = {
  homeTenantId: PARTNER_TENANT,
  homeObjectId: 'ac9a0626-3ff0-46e2-9974-bbfba246f6dc',
  upn: 'dana@contoso.com',
  name: 'Dana Consultant',
  objectIdIn: { [CUSTOMER_TENANT]: CUSTOMER_OBJECT },
};

/**
 * The production configuration against Microsoft's real hostnames, intercepted by nock: the partner's
 * locations are the IDs in the recordings (123456, 123457), so recorded bodies fit unchanged.
 */
export async function journeyApp() {
  const config = testConfig({
    AZURE_CLIENT_ID: CLIENT_ID,
    AZURE_TENANT_ID: PARTNER_TENANT,
    AZURE_CLIENT_SECRET: 'component-test-secret',
    PARTNER_NAME: 'Contoso',
    PARTNER_GLOBAL_ID: '123455',
    PARTNER_LOCATION_IDS: '123456:United Kingdom,123457:Germany',
    // http, so the test agent sends the sign-in cookie (it withholds Secure cookies over plain http).
    PUBLIC_BASE_URL: 'http://localhost:3000',
  });
  const built = await buildTestApp({
    config,
    armRetry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  const admin = (method: 'post' | 'get', path: string, body?: object) =>
    request(built.app)[method](path).set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send(body);
  return { ...built, admin };
}

export type JourneyApp = Awaited<ReturnType<typeof journeyApp>>;

/** A fresh app per test, handed to `use`; nock interceptors are cleared after each. */
export function journeyAppPerTest(use: (app: JourneyApp) => void) {
  let current: JourneyApp | undefined;
  beforeEach(async () => {
    current = await journeyApp();
    use(current);
  });
  afterEach(async () => {
    nock.cleanAll();
    await current?.close();
  });
}

export async function inviteConsultant(
  app: JourneyApp,
  input: { email: string; locationId?: string; tenantId?: string },
) {
  const created = await app.admin('post', '/api/consultants', {
    email: input.email,
    ...(input.locationId ? { locationId: input.locationId } : {}),
  });
  expect(created.status).toBe(201);
  const issued = await app.admin('post', '/api/invitations', {
    consultantIds: [created.body.id],
    ...(input.tenantId ? { tenantId: input.tenantId } : {}),
  });
  expect(issued.status).toBe(202);
  const url = new URL(issued.body.invitations[0].url as string);
  return { consultantId: created.body.id as string, path: url.pathname };
}

/** Presses Continue in a browser (a cookie-keeping agent) and returns what Microsoft was asked. */
export async function pressContinue(app: JourneyApp, path: string, authority = 'organizations') {
  mockDiscovery(authority);
  const browser = request.agent(app.app);
  const started = await browser.post(path);
  expect(started.status).toBe(303);
  const authorize = new URL(started.headers.location as string);
  expect(authorize.origin).toBe(LOGIN);
  return {
    browser,
    authorize,
    state: authorize.searchParams.get('state')!,
    nonce: authorize.searchParams.get('nonce')!,
  };
}

/** Microsoft's token endpoint for a tenant path, answering the code redemption or a refresh. */
export function tokenEndpoint(tenant: string) {
  return nock(LOGIN).post(`/${tenant}/oauth2/v2.0/token`).query(true);
}

/** The usual sign-in: the code is redeemed for Dana, and each later refresh gives a token per tenant. */
export function signInAs(
  person: TestPerson,
  nonce: string,
  options: { customerToken?: 'ok' | { aadsts: number; suberror?: string } } = {},
) {
  tokenEndpoint('organizations').reply(
    200,
    tokenResponse(person, person.homeTenantId, { nonce, clientId: CLIENT_ID }),
  );
  mockDiscovery(person.homeTenantId);
  tokenEndpoint(person.homeTenantId)
    .optionally()
    .reply(200, tokenResponse(person, person.homeTenantId, { clientId: CLIENT_ID }))
    .persist();
  mockDiscovery(CUSTOMER_TENANT);
  const customer = options.customerToken ?? 'ok';
  if (customer === 'ok') {
    tokenEndpoint(CUSTOMER_TENANT)
      .reply(200, tokenResponse(person, CUSTOMER_TENANT, { clientId: CLIENT_ID }))
      .persist();
  } else {
    tokenEndpoint(CUSTOMER_TENANT).reply(
      400,
      aadstsError(
        customer.aadsts,
        'invalid_grant',
        'The user or administrator has not consented to use the application.',
        customer.suberror,
      ),
    );
  }
}

/** Resource Manager's tenant list for the signed-in account: its home and one customer. */
export function tenantsListed() {
  return nock(ARM)
    .get('/tenants')
    .query(true)
    .reply(200, {
      value: [
        {
          id: `/tenants/${PARTNER_TENANT}`,
          tenantId: PARTNER_TENANT,
          displayName: 'Contoso',
          tenantCategory: 'Home',
        },
        {
          id: `/tenants/${CUSTOMER_TENANT}`,
          tenantId: CUSTOMER_TENANT,
          displayName: 'Fabrikam',
          tenantCategory: 'Home',
        },
      ],
    });
}

export const arm = () => nock(ARM);
export const json = { 'content-type': 'application/json; charset=utf-8' };
export { fixture };

export async function callback(browser: ReturnType<typeof request.agent>, query: Record<string, string>) {
  return browser.get('/auth/callback').query(query);
}
