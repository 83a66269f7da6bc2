import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULTS } from '../../src/platform/config/sandbox-defaults.ts';
import { s256Challenge } from '../../src/sandbox/identity/pkce.ts';
import { openAccountPicker, submitAccountPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import type { WorldState } from '../../src/sandbox/world/model.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { startTestSandbox } from '../support/sandbox.ts';

// Discovery, the account picker and admin consent, spoken to over HTTP as a browser would.

const REDIRECT_URI = 'https://app.example/auth/callback';
const ARM = 'https://management.azure.com/user_impersonation offline_access openid profile';
const { fabrikam: FABRIKAM, tailspin: TAILSPIN } = SEED.tenants;

let sandbox: RunningSandbox;
let pristine: WorldState;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  pristine = structuredClone(sandbox.world.state);
});
afterEach(() => {
  sandbox.world.change((state) => Object.assign(state, structuredClone(pristine)));
});
afterAll(async () => {
  await sandbox?.close();
});

const upnOf = (key: keyof typeof SEED.users) => `${SEED.users[key]}@contoso.example`;
const getJson = async (path: string) => {
  const res = await fetch(`${sandbox.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

function authorizeUrl(tenant: string, overrides: Record<string, string | undefined> = {}) {
  const params: Record<string, string | undefined> = {
    client_id: SANDBOX_DEFAULTS.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: ARM,
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: s256Challenge(randomBytes(32).toString('base64url')),
    code_challenge_method: 'S256',
    ...overrides,
  };
  const query = new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return `${sandbox.url}/${tenant}/oauth2/v2.0/authorize?${query}`;
}

/** Picks an account and returns the query the browser is sent back with. */
async function pick(tenant: string, choice: { upn: string } | { cancel: true }, overrides = {}) {
  const page = await openAccountPicker(authorizeUrl(tenant, overrides));
  expect(page.status).toBe(200);
  const res = await submitAccountPicker(page, choice);
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

describe('discovery', () => {
  it('publishes organizations metadata with the {tenantid} issuer placeholder and organizations endpoints', async () => {
    const { status, body } = await getJson('/organizations/v2.0/.well-known/openid-configuration');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: `${sandbox.url}/{tenantid}/v2.0`,
      // Browser-facing pages over plain HTTP on loopback: no certificate warning for people.
      authorization_endpoint: `${sandbox.browserUrl}/organizations/oauth2/v2.0/authorize`,
      token_endpoint: `${sandbox.url}/organizations/oauth2/v2.0/token`,
      jwks_uri: `${sandbox.url}/organizations/discovery/v2.0/keys`,
      end_session_endpoint: `${sandbox.browserUrl}/organizations/oauth2/v2.0/logout`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(body.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    expect(body.claims_supported).toEqual(expect.arrayContaining(['tid', 'preferred_username', 'nonce']));
  });

  it('names a tenant asked for by its domain by its GUID, issuer included', async () => {
    const { body } = await getJson('/fabrikam.example/v2.0/.well-known/openid-configuration');
    expect(body.issuer).toBe(`${sandbox.url}/${FABRIKAM}/v2.0`);
    expect(body.token_endpoint).toBe(`${sandbox.url}/${FABRIKAM}/oauth2/v2.0/token`);
  });

  it('serves the public signing key, and only the public half, as a JWKS', async () => {
    const { status, body } = await getJson(`/${FABRIKAM}/discovery/v2.0/keys`);
    expect(status).toBe(200);
    const keys = body.keys as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: sandbox.context.keys.kid });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('answers an unknown tenant with AADSTS90002 in Microsoft’s error shape', async () => {
    const { status, body } = await getJson('/nowhere.example/v2.0/.well-known/openid-configuration');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    expect(String(body.error_description)).toMatch(/^AADSTS90002: Tenant 'nowhere\.example' not found\./);
  });

  it('leaves Resource Manager paths alone', async () => {
    const res = await fetch(`${sandbox.url}/subscriptions?api-version=2022-12-01`);
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(await res.text()).not.toContain('AADSTS');
  });
});

describe('the account picker', () => {
  it('through organizations lists every account, the hinted one first and focused', async () => {
    const page = await openAccountPicker(
      authorizeUrl('organizations', { login_hint: upnOf('noor').toUpperCase() }),
    );
    expect(page.accounts.map((a) => a.upn).sort()).toEqual(
      sandbox.world.state.users.map((u) => u.upn).sort(),
    );
    expect(page.accounts[0]).toMatchObject({ upn: upnOf('noor'), hinted: true });
    expect(page.html).toMatch(/class="hinted" autofocus/);
    expect(page.html).toContain('SANDBOX');
    expect(page.html).not.toMatch(/<script/i);
  });

  it('for a customer tenant lists only the people with an identity there, not removed guests', async () => {
    const riley = sandbox.world.userByUpn(upnOf('riley'))!;
    sandbox.world.change(() => {
      sandbox.world.identity(riley.id, FABRIKAM)!.removed = true;
    });
    const page = await openAccountPicker(authorizeUrl(FABRIKAM));
    const expected = sandbox.world.state.identities
      .filter((i) => i.tenantId === FABRIKAM && !i.removed)
      .map((i) => sandbox.world.user(i.userId)!.upn);
    expect(page.accounts.map((a) => a.upn).sort()).toEqual(expected.sort());
    expect(page.accounts.map((a) => a.upn)).not.toContain(riley.upn);
  });

  it('carries the original request in the form so the POST can be checked again', async () => {
    const page = await openAccountPicker(authorizeUrl('organizations', { login_hint: upnOf('dana') }));
    expect(page.fields).toMatchObject({
      client_id: SANDBOX_DEFAULTS.clientId,
      redirect_uri: REDIRECT_URI,
      state: 'state-123',
    });
    // A tampered redirect URI in the form is refused like the original request would be.
    const res = await submitAccountPicker(
      page,
      { upn: upnOf('dana') },
      { redirect_uri: 'http://evil.example/cb' },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('AADSTS50011');
  });

  it('returns a code and the state for a picked account', async () => {
    const params = await pick('organizations', { upn: upnOf('dana') });
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe('state-123');
    expect(params.get('error')).toBeNull();
  });

  it('sends Cancel back as access_denied with error_subcode=cancel (AADSTS65004)', async () => {
    const params = await pick('organizations', { cancel: true });
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_subcode')).toBe('cancel');
    expect(params.get('error_description')).toMatch(
      /^AADSTS65004: User declined to consent to access the app\./,
    );
    expect(params.get('state')).toBe('state-123');
  });

  it('refuses a disabled account with AADSTS50057', async () => {
    sandbox.world.change(() => {
      sandbox.world.userByUpn(upnOf('sam'))!.disabled = true;
    });
    const params = await pick('organizations', { upn: upnOf('sam') });
    expect(params.get('code')).toBeNull();
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toMatch(/^AADSTS50057: The user account is disabled\./);
  });

  it('answers consent_required (AADSTS65001) in a tenant that blocks user consent, until its admin consents', async () => {
    const blocked = await pick(TAILSPIN, { upn: upnOf('taylor') });
    expect(blocked.get('error')).toBe('consent_required');
    expect(blocked.get('error_description')).toMatch(
      /^AADSTS65001: The user or administrator has not consented/,
    );

    const consentUrl = `${sandbox.url}/${TAILSPIN}/v2.0/adminconsent?${new URLSearchParams({
      client_id: SANDBOX_DEFAULTS.clientId,
      redirect_uri: REDIRECT_URI,
      state: 'consent-1',
      scope: 'https://management.azure.com/user_impersonation',
    })}`;
    const consentPage = await fetch(consentUrl);
    const html = await consentPage.text();
    expect(html).toContain('Tailspin Toys');
    const form = new URLSearchParams(
      [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
        (m): [string, string] => [m[1]!, m[2]!],
      ),
    );
    form.set('action', 'accept');
    const accepted = await fetch(consentUrl.split('?')[0]!, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const back = new URL(accepted.headers.get('location')!).searchParams;
    expect(Object.fromEntries(back)).toMatchObject({
      admin_consent: 'True',
      tenant: TAILSPIN,
      state: 'consent-1',
    });
    expect(sandbox.world.tenant(TAILSPIN)!.adminConsentGranted).toBe(true);

    const allowed = await pick(TAILSPIN, { upn: upnOf('taylor') });
    expect(allowed.get('code')).toBeTruthy();
  });

  it('shows an error page, never a redirect, for an unknown client (AADSTS700016) or redirect URI (AADSTS50011)', async () => {
    for (const [overrides, code] of [
      [{ client_id: '00000000-0000-4000-8000-000000000000' }, 'AADSTS700016'],
      [{ redirect_uri: 'http://app.example/callback' }, 'AADSTS50011'],
    ] as const) {
      const res = await fetch(authorizeUrl('organizations', overrides), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(code);
    }
  });

  it('requires PKCE with S256', async () => {
    const missing = await fetch(authorizeUrl('organizations', { code_challenge: undefined }), {
      redirect: 'manual',
    });
    const noChallenge = new URL(missing.headers.get('location')!).searchParams;
    expect(noChallenge.get('error')).toBe('invalid_request');
    expect(noChallenge.get('error_description')).toMatch(/^AADSTS900144: .*'code_challenge'/);
    const plain = await fetch(authorizeUrl('organizations', { code_challenge_method: 'plain' }), {
      redirect: 'manual',
    });
    expect(new URL(plain.headers.get('location')!).searchParams.get('error_description')).toMatch(
      /^AADSTS50149:/,
    );
  });

  it('answers an unknown tenant with an AADSTS90002 page', async () => {
    const res = await fetch(authorizeUrl('nowhere.example'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('AADSTS90002');
  });

  it('in form_post mode shows a Continue form that posts the code and state to the app', async () => {
    const page = await openAccountPicker(authorizeUrl('organizations', { response_mode: 'form_post' }));
    const res = await submitAccountPicker(page, { upn: upnOf('dana') });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`action="${REDIRECT_URI}"`);
    expect(html).toMatch(/name="code" value="sbx\.[\w-]+"/);
    expect(html).toContain('name="state" value="state-123"');
    expect(html).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self' https://app.example");
  });
});

describe('admin consent and sign-out', () => {
  it('sends Cancel on the admin consent page back as access_denied and grants nothing', async () => {
    const body = new URLSearchParams({
      client_id: SANDBOX_DEFAULTS.clientId,
      redirect_uri: REDIRECT_URI,
      action: 'cancel',
    });
    const res = await fetch(`${sandbox.url}/${TAILSPIN}/v2.0/adminconsent`, {
      method: 'POST',
      body,
      redirect: 'manual',
    });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    expect(sandbox.world.tenant(TAILSPIN)!.adminConsentGranted).toBe(false);
  });

  it('signs out to the post-logout redirect URI', async () => {
    const query = new URLSearchParams({ post_logout_redirect_uri: 'http://localhost:3000/' });
    const res = await fetch(`${sandbox.url}/organizations/oauth2/v2.0/logout?${query}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://localhost:3000/');
  });
});
