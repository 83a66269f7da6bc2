import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULTS } from '../../src/platform/config/sandbox-defaults.ts';
import { s256Challenge } from '../../src/sandbox/identity/pkce.ts';
import { signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import type { WorldState } from '../../src/sandbox/world/model.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { manualClock, startTestSandbox, TEST_PARTNER } from '../support/sandbox.ts';

// The token endpoint spoken to directly: client authentication, the code and refresh grants and
// every AADSTS answer the health check has to classify.

const REDIRECT_URI = 'http://localhost:3000/auth/callback';
const SCOPE = 'https://management.azure.com/user_impersonation offline_access openid profile';
const { fabrikam: FABRIKAM, northwind: NORTHWIND, tailspin: TAILSPIN } = SEED.tenants;
const ERROR_KEYS = [
  'correlation_id',
  'error',
  'error_codes',
  'error_description',
  'error_uri',
  'timestamp',
  'trace_id',
];

// Start at real time (whole seconds): the sandbox also dates its TLS certificate by this clock.
const clock = manualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const stamp = () => `${clock.now().toISOString().slice(0, 19).replace('T', ' ')}Z`;
let sandbox: RunningSandbox;
let pristine: WorldState;
beforeAll(async () => {
  sandbox = await startTestSandbox({ clock });
  pristine = structuredClone(sandbox.world.state);
});
afterEach(() => {
  sandbox.world.change((state) => Object.assign(state, structuredClone(pristine)));
});
afterAll(async () => {
  await sandbox?.close();
});

const userOf = (key: keyof typeof SEED.users) =>
  sandbox.world.userByUpn(`${SEED.users[key]}@contoso.example`)!;
const changeUser = (key: keyof typeof SEED.users, change: (user: WorldState['users'][number]) => void) =>
  sandbox.world.change(() => change(userOf(key)));

/** What the tests read from token-endpoint answers; each test reads only what its answer carries. */
type TokenBody = Record<string, unknown> &
  Record<
    'access_token' | 'id_token' | 'refresh_token' | 'client_info' | 'error_description' | 'trace_id',
    string
  >;

async function token(tenant: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    body: new URLSearchParams({
      client_id: SANDBOX_DEFAULTS.clientId,
      client_secret: sandbox.clientSecret,
      ...params,
    }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as TokenBody };
}

/** Signs `key` in through the picker and returns the code with the verifier that redeems it. */
async function codeFor(key: keyof typeof SEED.users, tenant = 'organizations') {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: SANDBOX_DEFAULTS.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPE,
    nonce: 'n-1',
    code_challenge: s256Challenge(verifier),
    code_challenge_method: 'S256',
  });
  const back = await signInWithPicker(
    `${sandbox.url}/${tenant}/oauth2/v2.0/authorize?${query}`,
    userOf(key).upn,
  );
  return { code: back.searchParams.get('code')!, verifier };
}

const redeem = (
  code: string,
  verifier: string,
  extra: Record<string, string> = {},
  tenant = 'organizations',
) =>
  token(tenant, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    ...extra,
  });

async function refreshTokenFor(key: keyof typeof SEED.users) {
  const { code, verifier } = await codeFor(key);
  const { body } = await redeem(code, verifier);
  expect(body.refresh_token).toBeTruthy();
  return body.refresh_token as string;
}

const refresh = (refreshToken: string, tenant: string) =>
  token(tenant, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: SCOPE });

describe('client authentication', () => {
  it('refuses a wrong secret with 401 invalid_client AADSTS7000215 in Microsoft’s exact error body', async () => {
    const correlationId = randomUUID();
    const timestamp = stamp();
    const { status, body } = await token(
      'organizations',
      { grant_type: 'refresh_token', refresh_token: 'x', scope: SCOPE, client_secret: 'wrong' },
      { 'client-request-id': correlationId },
    );
    expect(status).toBe(401);
    expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
    expect(body).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      timestamp,
      correlation_id: correlationId,
      error_uri: `${sandbox.url}/error?code=7000215`,
    });
    expect(body.error_description).toBe(
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${SANDBOX_DEFAULTS.clientId}'. Trace ID: ${body.trace_id} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    );
  });

  it('refuses an unknown client with unauthorized_client AADSTS700016', async () => {
    const { status, body } = await token('organizations', {
      grant_type: 'refresh_token',
      client_id: randomUUID(),
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const { status, body } = await token('nowhere.example', { grant_type: 'refresh_token' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });
});

describe('the authorization code grant', () => {
  it('issues ID, access and refresh tokens for the home tenant, with client_info and the nonce', async () => {
    const dana = userOf('dana');
    const { code, verifier } = await codeFor('dana');
    const { status, body } = await redeem(code, verifier);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: 'https://management.azure.com/user_impersonation',
      expires_in: 3599,
      ext_expires_in: 3599,
    });
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({
      uid: dana.id,
      utid: TEST_PARTNER.tenantId,
    });
    expect(decodeJwt(body.id_token)).toMatchObject({
      aud: SANDBOX_DEFAULTS.clientId,
      iss: `${sandbox.url}/${TEST_PARTNER.tenantId}/v2.0`,
      tid: TEST_PARTNER.tenantId,
      oid: dana.id,
      preferred_username: dana.upn,
      nonce: 'n-1',
      ver: '2.0',
    });
    expect(decodeJwt(body.access_token)).toMatchObject({ tid: TEST_PARTNER.tenantId, oid: dana.id });
  });

  it('refuses a code verifier that does not match the challenge (AADSTS501481)', async () => {
    const { code } = await codeFor('dana');
    const { status, body } = await redeem(code, randomBytes(32).toString('base64url'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
  });

  it('redeems a code only once (AADSTS54005 on replay)', async () => {
    const { code, verifier } = await codeFor('dana');
    expect((await redeem(code, verifier)).status).toBe(200);
    const replay = await redeem(code, verifier);
    expect(replay.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('refuses a redirect URI other than the one the code was issued for (AADSTS500112)', async () => {
    const { code, verifier } = await codeFor('dana');
    const { body } = await redeem(code, verifier, { redirect_uri: 'http://localhost:3000/other' });
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [500112] });
  });

  it('lets a code expire after ten minutes (AADSTS70008)', async () => {
    const { code, verifier } = await codeFor('dana');
    clock.advance(10 * 60_000 + 1);
    const { body } = await redeem(code, verifier);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
  });
});

describe('the refresh token grant', () => {
  it('serves every tenant of the account with the object ID of that tenant, rotating the refresh token', async () => {
    const dana = userOf('dana');
    const first = await refreshTokenFor('dana');
    clock.advance(1000);
    const fabrikam = await refresh(first, FABRIKAM);
    expect(fabrikam.status).toBe(200);
    const guest = sandbox.world.identity(dana.id, FABRIKAM)!;
    expect(decodeJwt(fabrikam.body.access_token)).toMatchObject({ tid: FABRIKAM, oid: guest.objectId });
    expect(decodeJwt(fabrikam.body.id_token)).toMatchObject({ tid: FABRIKAM, oid: guest.objectId });
    expect(decodeJwt(fabrikam.body.id_token)).not.toHaveProperty('nonce');
    expect(fabrikam.body.refresh_token).not.toBe(first);
    const home = await refresh(fabrikam.body.refresh_token, 'organizations');
    expect(decodeJwt(home.body.access_token)).toMatchObject({ tid: TEST_PARTNER.tenantId, oid: dana.id });
  });

  it('refuses a tenant that blocks user consent with consent_required (AADSTS65001) until an admin consents', async () => {
    const rt = await refreshTokenFor('taylor');
    const blocked = await refresh(rt, TAILSPIN);
    expect(blocked.status).toBe(400);
    expect(blocked.body).toMatchObject({
      error: 'invalid_grant',
      suberror: 'consent_required',
      error_codes: [65001],
    });
    sandbox.world.change((state) => {
      state.tenants.find((t) => t.id === TAILSPIN)!.adminConsentGranted = true;
    });
    const allowed = await refresh(rt, TAILSPIN);
    expect(decodeJwt(allowed.body.access_token).tid).toBe(TAILSPIN);
  });

  it('refuses a disabled account (AADSTS50057)', async () => {
    const rt = await refreshTokenFor('sam');
    changeUser('sam', (u) => {
      u.disabled = true;
    });
    const { body } = await refresh(rt, NORTHWIND);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [50057] });
    expect(body.error_description).toMatch(/^AADSTS50057: The user account is disabled\./);
  });

  it('refuses a grant older than a session revocation (AADSTS50173), but not a newer sign-in', async () => {
    const old = await refreshTokenFor('dana');
    clock.advance(1000);
    changeUser('dana', (u) => {
      u.tokensValidAfter = clock.now().toISOString();
    });
    clock.advance(1000);
    expect((await refresh(old, FABRIKAM)).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [50173],
    });
    const fresh = await refreshTokenFor('dana');
    expect((await refresh(fresh, FABRIKAM)).status).toBe(200);
  });

  it('refuses a guest the customer removed (AADSTS50020) while the home tenant still works', async () => {
    const dana = userOf('dana');
    const rt = await refreshTokenFor('dana');
    sandbox.world.change(() => {
      sandbox.world.identity(dana.id, FABRIKAM)!.removed = true;
    });
    const { body } = await refresh(rt, FABRIKAM);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [50020] });
    expect(body.error_description).toMatch(/^AADSTS50020: User account '.+' from identity provider/);
    expect((await refresh(rt, 'organizations')).status).toBe(200);
  });

  it('refuses an account that no longer exists (AADSTS50034)', async () => {
    const dana = userOf('dana');
    const rt = await refreshTokenFor('dana');
    sandbox.world.change((state) => {
      state.users = state.users.filter((u) => u.id !== dana.id);
    });
    expect((await refresh(rt, FABRIKAM)).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [50034],
    });
  });

  it.each([
    [50076, 400, 'invalid_grant', 'basic_action'],
    [700082, 400, 'invalid_grant', undefined],
    [53003, 400, 'invalid_grant', undefined],
    [90055, 429, 'temporarily_unavailable', undefined],
  ])('answers the refreshError knob %i as Microsoft would (%i %s)', async (code, status, error, suberror) => {
    const rt = await refreshTokenFor('morgan');
    changeUser('morgan', (u) => {
      u.refreshError = code;
    });
    const res = await refresh(rt, NORTHWIND);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error, error_codes: [code] });
    expect(res.body.suberror).toBe(suberror);
    if (status === 429) expect(res.headers.get('retry-after')).toBeTruthy();
  });

  it('lets a refresh token expire after 90 days without use (AADSTS700082)', async () => {
    const rt = await refreshTokenFor('dana');
    clock.advance(91 * 86_400_000);
    expect((await refresh(rt, FABRIKAM)).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [700082],
    });
  });

  it('refuses a token that is not one of its refresh tokens, an ID token included (AADSTS70000)', async () => {
    const { code, verifier } = await codeFor('dana');
    const { body: tokens } = await redeem(code, verifier);
    for (const forged of ['not-a-token', tokens.id_token, tokens.access_token]) {
      expect((await refresh(forged, FABRIKAM)).body).toMatchObject({
        error: 'invalid_grant',
        error_codes: [70000],
      });
    }
  });
});

describe('the client credentials grant', () => {
  const appOnly = (tenant: string) =>
    token(tenant, { grant_type: 'client_credentials', scope: 'https://management.azure.com/.default' });

  it('issues an app-only Resource Manager token in the partner tenant', async () => {
    const { status, body } = await appOnly(TEST_PARTNER.tenantId);
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token)).toMatchObject({ tid: TEST_PARTNER.tenantId, idtyp: 'app' });
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('knows the app only in customer tenants whose admin consented (AADSTS700016)', async () => {
    expect((await appOnly(FABRIKAM)).body).toMatchObject({
      error: 'unauthorized_client',
      error_codes: [700016],
    });
  });
});
