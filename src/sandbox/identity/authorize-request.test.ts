import { describe, expect, it } from 'vitest';
import { hiddenFields, isAllowedRedirectUri, validateAuthorizeRequest } from './authorize-request.ts';

const CLIENT = '5d2a9e71-4c3b-4f08-8e6d-1b7c0a9f3e25';
const valid = {
  client_id: CLIENT,
  redirect_uri: 'http://localhost:3000/auth/callback',
  response_type: 'code',
  scope: 'https://management.azure.com/user_impersonation offline_access',
  state: 's',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
};
const validate = (overrides: Record<string, unknown>) =>
  validateAuthorizeRequest({ ...valid, ...overrides }, CLIENT, 'PAL Manager');

describe('authorize request validation', () => {
  it('accepts a complete PKCE request and defaults to the query response mode', () => {
    const result = validate({});
    expect(result).toMatchObject({
      ok: true,
      request: { response_mode: 'query', state: 's', nonce: undefined },
    });
  });

  it('shows a page, not a redirect, while the client or redirect URI cannot be trusted', () => {
    expect(validate({ client_id: 'someone-else' })).toMatchObject({ ok: false, show: 'page', code: 700016 });
    expect(validate({ redirect_uri: undefined })).toMatchObject({ ok: false, show: 'page', code: 900144 });
    expect(validate({ redirect_uri: 'http://app.example/cb' })).toMatchObject({
      ok: false,
      show: 'page',
      code: 50011,
    });
    expect(validate({ redirect_uri: ['http://localhost/a', 'http://localhost/b'] })).toMatchObject({
      show: 'page',
    });
  });

  it('redirects other mistakes back to the app with the state', () => {
    expect(validate({ response_type: 'token' })).toMatchObject({
      show: 'redirect',
      code: 700054,
      target: { state: 's' },
    });
    expect(validate({ code_challenge: undefined })).toMatchObject({ show: 'redirect', code: 900144 });
    expect(validate({ code_challenge_method: 'plain' })).toMatchObject({ show: 'redirect', code: 50149 });
    expect(validate({ code_challenge: 'short' })).toMatchObject({ show: 'redirect', code: 501491 });
    expect(validate({ scope: 'https://graph.microsoft.com/Mail.Read' })).toMatchObject({
      show: 'redirect',
      code: 70011,
    });
    expect(validate({ prompt: 'none' })).toMatchObject({ show: 'redirect', code: 50058 });
  });

  it('accepts https anywhere and http only on loopback, never with a fragment', () => {
    expect(isAllowedRedirectUri('https://pal.example/auth/callback')).toBe(true);
    expect(isAllowedRedirectUri('http://127.0.0.1:8080/cb')).toBe(true);
    expect(isAllowedRedirectUri('http://pal.example/cb')).toBe(false);
    expect(isAllowedRedirectUri('https://pal.example/cb#x')).toBe(false);
    expect(isAllowedRedirectUri('javascript:alert(1)')).toBe(false);
  });

  it('round-trips through hidden fields', () => {
    const first = validate({ nonce: 'n', login_hint: 'dana@contoso.example' });
    if (!first.ok) throw new Error('expected a valid request');
    const fields = Object.fromEntries(hiddenFields(first.request).map((f) => [f.name, f.value]));
    expect(validateAuthorizeRequest(fields, CLIENT, 'PAL Manager')).toEqual(first);
  });
});
