import {
  type AccountInfo,
  type AuthenticationResult,
  ConfidentialClientApplication,
  CryptoProvider,
} from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULTS } from '../../src/platform/config/sandbox-defaults.ts';
import { openAccountPicker, signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { startTestSandbox, TEST_PARTNER } from '../support/sandbox.ts';

// The proof that the production code can run unchanged against the sandbox: the real MSAL Node
// confidential client, configured as it would be for Microsoft except for the authority host.

const ARM_SCOPES = ['https://management.azure.com/user_impersonation', 'offline_access'];
const REDIRECT_URI = 'http://localhost:3000/auth/callback';
const FABRIKAM = SEED.tenants.fabrikam;
const TAILSPIN = SEED.tenants.tailspin;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

function msalClient(clientSecret = sandbox.clientSecret) {
  return new ConfidentialClientApplication({
    auth: {
      clientId: SANDBOX_DEFAULTS.clientId,
      clientSecret,
      authority: `${sandbox.url}/organizations`,
      knownAuthorities: [new URL(sandbox.url).host],
    },
  });
}

const upnOf = (key: keyof typeof SEED.users) => `${SEED.users[key]}@contoso.example`;
const userOf = (key: keyof typeof SEED.users) => sandbox.world.userByUpn(upnOf(key))!;

/** The consultant flow up to the token: PKCE, state, nonce, login_hint, picker, code redemption. */
async function signIn(cca: ConfidentialClientApplication, upn: string) {
  const crypto = new CryptoProvider();
  const { verifier, challenge } = await crypto.generatePkceCodes();
  const state = crypto.createNewGuid();
  const nonce = crypto.createNewGuid();
  const authorizeUrl = await cca.getAuthCodeUrl({
    scopes: ARM_SCOPES,
    redirectUri: REDIRECT_URI,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state,
    nonce,
    loginHint: upn,
  });
  const callback = await signInWithPicker(authorizeUrl, upn);
  expect(callback.searchParams.get('state')).toBe(state);
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const result = await cca.acquireTokenByCode({
    code: code!,
    codeVerifier: verifier,
    redirectUri: REDIRECT_URI,
    scopes: ARM_SCOPES,
    nonce,
  });
  return { result, authorizeUrl };
}

const refreshFor = (cca: ConfidentialClientApplication, account: AccountInfo, tenantId: string) =>
  cca.acquireTokenSilent({
    account: { ...account, tenantId },
    scopes: ARM_SCOPES,
    authority: `${sandbox.url}/${tenantId}`,
    forceRefresh: true,
  });

async function failureOf(promise: Promise<AuthenticationResult>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { errorCode?: string; subError?: string; errorNo?: string | number },
  );
  expect(error, 'the call should have failed').toBeDefined();
  return { errorCode: error?.errorCode, subError: error?.subError, errorNo: Number(error?.errorNo) };
}

describe('the real MSAL Node client against the sandbox identity platform', () => {
  it('lists the hinted account first on the picker the authorize URL opens', async () => {
    const cca = msalClient();
    const authorizeUrl = await cca.getAuthCodeUrl({
      scopes: ARM_SCOPES,
      redirectUri: REDIRECT_URI,
      codeChallenge: (await new CryptoProvider().generatePkceCodes()).challenge,
      codeChallengeMethod: 'S256',
      loginHint: upnOf('riley'),
    });
    expect(authorizeUrl.startsWith(`${sandbox.browserUrl}/organizations/oauth2/v2.0/authorize?`)).toBe(true);
    const page = await openAccountPicker(authorizeUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain('SANDBOX');
    expect(page.accounts[0]).toMatchObject({ upn: upnOf('riley'), hinted: true });
    expect(page.accounts.filter((a) => a.hinted)).toHaveLength(1);
  });

  it('signs in through organizations and gets a home-tenant token for the picked account', async () => {
    const dana = userOf('dana');
    const { result } = await signIn(msalClient(), dana.upn);
    expect(result.idTokenClaims).toMatchObject({
      tid: TEST_PARTNER.tenantId,
      oid: dana.id,
      preferred_username: dana.upn,
      name: dana.displayName,
    });
    expect(result.account?.homeAccountId).toBe(`${dana.id}.${TEST_PARTNER.tenantId}`);
    expect(result.tenantId).toBe(TEST_PARTNER.tenantId);
    const access = decodeJwt(result.accessToken);
    expect(access).toMatchObject({
      aud: 'https://management.azure.com/',
      tid: TEST_PARTNER.tenantId,
      oid: dana.id,
    });
  });

  it('a silent refresh for a customer tenant returns a token for the guest object in that tenant', async () => {
    const cca = msalClient();
    const dana = userOf('dana');
    const { result } = await signIn(cca, dana.upn);
    const guest = sandbox.world.identity(dana.id, FABRIKAM)!;
    expect(guest.objectId).not.toBe(dana.id);

    const fabrikam = await refreshFor(cca, result.account!, FABRIKAM);
    const access = decodeJwt(fabrikam.accessToken);
    expect(access.tid).toBe(FABRIKAM);
    expect(access.oid).toBe(guest.objectId);
    expect(fabrikam.idTokenClaims).toMatchObject({ tid: FABRIKAM, oid: guest.objectId });
    expect(fabrikam.account?.homeAccountId).toBe(result.account?.homeAccountId);

    // The same account (one refresh token, rotated) still serves the other customer tenant.
    const northwind = await refreshFor(cca, result.account!, SEED.tenants.northwind);
    expect(decodeJwt(northwind.accessToken)).toMatchObject({
      tid: SEED.tenants.northwind,
      oid: sandbox.world.identity(dana.id, SEED.tenants.northwind)!.objectId,
    });
  });

  it('a silent refresh for a tenant that blocks user consent fails with consent_required (AADSTS65001)', async () => {
    const cca = msalClient();
    const { result } = await signIn(cca, userOf('taylor').upn);
    const failure = await failureOf(refreshFor(cca, result.account!, TAILSPIN));
    expect(failure).toEqual({ errorCode: 'invalid_grant', subError: 'consent_required', errorNo: 65001 });
  });

  it('a disabled account cannot refresh any more (AADSTS50057)', async () => {
    const cca = msalClient();
    const sam = userOf('sam');
    const { result } = await signIn(cca, sam.upn);
    sandbox.world.change((state) => {
      state.users.find((u) => u.id === sam.id)!.disabled = true;
    });
    try {
      const failure = await failureOf(refreshFor(cca, result.account!, SEED.tenants.northwind));
      expect(failure).toMatchObject({ errorCode: 'invalid_grant', errorNo: 50057 });
    } finally {
      sandbox.world.change((state) => {
        state.users.find((u) => u.id === sam.id)!.disabled = false;
      });
    }
  });

  it('a wrong client secret surfaces as invalid_client (AADSTS7000215), not as a sign-in problem', async () => {
    const crypto = new CryptoProvider();
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const good = msalClient();
    const authorizeUrl = await good.getAuthCodeUrl({
      scopes: ARM_SCOPES,
      redirectUri: REDIRECT_URI,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      loginHint: upnOf('noor'),
    });
    const callback = await signInWithPicker(authorizeUrl, upnOf('noor'));
    const failure = await failureOf(
      msalClient('not-the-secret').acquireTokenByCode({
        code: callback.searchParams.get('code')!,
        codeVerifier: verifier,
        redirectUri: REDIRECT_URI,
        scopes: ARM_SCOPES,
      }),
    );
    expect(failure).toMatchObject({ errorCode: 'invalid_client', errorNo: 7000215 });
  });
});
