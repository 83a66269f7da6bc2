import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../support/app.ts';
import { jwt, mockDiscovery, tokenResponse } from '../support/microsoft-nock.ts';
import {
  CLIENT_ID,
  CUSTOMER_TENANT,
  callback,
  dana,
  inviteConsultant,
  type JourneyApp,
  journeyAppPerTest,
  pressContinue,
  tokenEndpoint,
} from './support.ts';

let app: JourneyApp;
journeyAppPerTest((built) => {
  app = built;
});

const DAY = 86_400_000;

async function auditActions() {
  return ((await app.admin('get', '/api/audit')).body.events as { action: string }[]).map((e) => e.action);
}

describe('the invitation link', () => {
  it('only renders on GET — a mail scanner opening it changes nothing', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    for (let i = 0; i < 3; i++) {
      const page = await request(app.app).get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Continue with Microsoft');
      expect(page.text).toContain('123456');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['set-cookie']).toBeUndefined();
    }
    const rows = await app.deps.db.selectFrom('auth_attempts').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it('answers an unknown or tampered token with the same 404 page', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const tampered = `${path.slice(0, -1)}${path.endsWith('A') ? 'B' : 'A'}`;
    for (const url of [tampered, '/i/short', '/i/%3Cscript%3E']) {
      const page = await request(app.app).get(url);
      expect(page.status).toBe(404);
      expect(page.text).toContain('This link is not valid');
    }
  });

  it('expires after INVITATION_TTL_DAYS and offers to ask for a new one', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    app.clock.advance(15 * DAY);
    const page = await request(app.app).get(path);
    expect(page.status).toBe(410);
    expect(page.text).toContain('This link has expired');
    const renew = await request(app.app).post(`${path}/renew`);
    expect(renew.status).toBe(200);
    expect(await auditActions()).toContain('invitation.renewal_requested');
    expect((await request(app.app).post(path)).status).toBe(410);
  });

  it('stops working when a newer invitation is sent', async () => {
    const first = await inviteConsultant(app, { email: dana.upn });
    await app.admin('post', '/api/invitations', { consultantIds: [first.consultantId] });
    const page = await request(app.app).get(first.path);
    expect(page.status).toBe(410);
    expect(page.text).toContain('A newer link was sent to you');
  });

  it('is stored only as a hash', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const token = path.split('/').pop()!;
    const rows = await app.deps.db.selectFrom('invitations').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('starting sign-in', () => {
  it('sends the consultant to Microsoft with PKCE, state, nonce and their address as login hint', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    const q = signIn.authorize.searchParams;
    expect(signIn.authorize.pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(q.get('login_hint')).toBe(dana.upn);
    expect(q.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['https://management.azure.com/user_impersonation', 'offline_access']),
    );
    expect(q.get('redirect_uri')).toBe('http://localhost:3000/auth/callback');
  });

  it('signs in to the customer tenant directly when the invitation names one', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn, tenantId: CUSTOMER_TENANT });
    const signIn = await pressContinue(app, path, CUSTOMER_TENANT);
    expect(signIn.authorize.pathname).toBe(`/${CUSTOMER_TENANT}/oauth2/v2.0/authorize`);
  });

  it('binds the attempt to the browser with a short-lived HTTP-only cookie', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    mockDiscovery('organizations');
    const response = await request(app.app).post(path);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/pal_signin=[\w-]{43}/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=1800/);
  });
});

describe('the callback refuses', () => {
  it('a sign-in by another account, linking nothing and auditing it', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    const mallory = {
      ...dana,
      upn: 'mallory@contoso.com',
      homeObjectId: '11111111-1111-4111-8111-111111111111',
    };
    tokenEndpoint('organizations').reply(
      200,
      tokenResponse(mallory, dana.homeTenantId, { nonce: signIn.nonce, clientId: CLIENT_ID }),
    );
    const page = await callback(signIn.browser, { code: 'c', state: signIn.state });
    expect(page.status).toBe(403);
    expect(page.text).toContain('not the account this invitation is for');
    expect(page.text).toContain('mallory@contoso.com');
    expect(await auditActions()).toContain('signin.identity_mismatch');
    expect((await app.admin('get', '/api/associations')).body).toEqual([]);
    expect((await request(app.app).get(path)).status).toBe(200);
  });

  it('a replayed callback', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    const mallory = { ...dana, upn: 'someone.else@contoso.com' };
    tokenEndpoint('organizations').reply(
      200,
      tokenResponse(mallory, dana.homeTenantId, { nonce: signIn.nonce, clientId: CLIENT_ID }),
    );
    await callback(signIn.browser, { code: 'c', state: signIn.state });
    const replay = await callback(signIn.browser, { code: 'c', state: signIn.state });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('expired or was already finished');
  });

  it('a forged state', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    const page = await callback(signIn.browser, { code: 'c', state: `${signIn.state.slice(0, -2)}xx` });
    expect(page.status).toBe(400);
    expect(page.text).toContain('expired or was already finished');
  });

  it('a callback from another browser (no sign-in cookie), without burning the real attempt', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    const stranger = await request(app.app).get('/auth/callback').query({ code: 'c', state: signIn.state });
    expect(stranger.status).toBe(400);
    expect(stranger.text).toContain('finish in the browser you started in');
    const attempt = await app.deps.db.selectFrom('auth_attempts').select('used_at').executeTakeFirst();
    expect(attempt?.used_at).toBeNull();
  });

  it('an ID token whose nonce is not the one we sent', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    tokenEndpoint('organizations').reply(
      200,
      tokenResponse(dana, dana.homeTenantId, { nonce: 'not-the-nonce', clientId: CLIENT_ID }),
    );
    const page = await callback(signIn.browser, { code: 'c', state: signIn.state });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Sign-in did not complete');
    expect((await app.admin('get', '/api/associations')).body).toEqual([]);
  });

  it('shows a cancelled sign-in as such, with the link still usable', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    const page = await callback(signIn.browser, {
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app.',
      state: signIn.state,
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Sign-in was cancelled');
    expect((await request(app.app).get(path)).status).toBe(200);
  });

  it('never leaks a token or code into the page when Microsoft errors', async () => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    tokenEndpoint('organizations').reply(400, {
      error: 'invalid_grant',
      error_description: `AADSTS70008: The provided authorization code or refresh token has expired. ${jwt({ secret: 1 })}`,
      error_codes: [70008],
    });
    const page = await callback(signIn.browser, { code: 'the-secret-code', state: signIn.state });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.text).not.toContain('the-secret-code');
    expect(page.text).not.toContain('eyJ');
  });
});

describe('revoking an invitation', () => {
  it('kills the link at once and is audited', async () => {
    const { path, consultantId } = await inviteConsultant(app, { email: dana.upn });
    const detail = await app.admin('get', `/api/consultants/${consultantId}`);
    const invitationId = detail.body.invitations[0].id as string;
    const revoked = await request(app.app)
      .delete(`/api/invitations/${invitationId}`)
      .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(revoked.body).toEqual({ id: invitationId, state: 'revoked' });
    const page = await request(app.app).get(path);
    expect(page.status).toBe(410);
    expect(page.text).toContain('This link was withdrawn');
    expect(await auditActions()).toContain('invitation.revoked');
    const unknown = await request(app.app)
      .delete('/api/invitations/not-an-id')
      .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(unknown.status).toBe(404);
  });
});
