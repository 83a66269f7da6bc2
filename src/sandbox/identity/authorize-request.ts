import type { AadErrorParams } from './errors.ts';
import { parseScopes, resolveScopes } from './scopes.ts';

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** A validated `/authorize` request. The picker form carries these fields back as hidden inputs. */
export interface AuthorizeRequest {
  client_id: string;
  redirect_uri: string;
  response_type: 'code';
  response_mode: ResponseMode;
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  code_challenge: string;
  code_challenge_method: 'S256';
  login_hint: string | undefined;
  prompt: string | undefined;
}

export type AuthorizeValidation =
  | { ok: true; request: AuthorizeRequest }
  /** No trustworthy redirect URI (or not our app): Microsoft shows an error page instead of redirecting. */
  | { ok: false; show: 'page'; code: number; params: AadErrorParams }
  | {
      ok: false;
      show: 'redirect';
      code: number;
      params: AadErrorParams;
      target: { redirectUri: string; responseMode: ResponseMode; state: string | undefined };
    };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The sandbox has one app registration and cannot know its redirect URIs, so it accepts what a
 * developer would register: any https URL, and http only on the loopback interface.
 */
export function isAllowedRedirectUri(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** A single string parameter; repeated or structured parameters count as absent. */
export function stringParam(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function validateAuthorizeRequest(
  input: Record<string, unknown>,
  expectedClientId: string,
  appName: string,
): AuthorizeValidation {
  const p = (name: string) => stringParam(input, name);
  const clientId = p('client_id');
  const base: AadErrorParams = { clientId: clientId ?? '', appName };
  if (!clientId)
    return { ok: false, show: 'page', code: 900144, params: { ...base, parameter: 'client_id' } };
  if (clientId.toLowerCase() !== expectedClientId.toLowerCase()) {
    return { ok: false, show: 'page', code: 700016, params: base };
  }
  const redirectUri = p('redirect_uri');
  if (!redirectUri)
    return { ok: false, show: 'page', code: 900144, params: { ...base, parameter: 'redirect_uri' } };
  if (!isAllowedRedirectUri(redirectUri))
    return { ok: false, show: 'page', code: 50011, params: { ...base, redirectUri } };

  const modeParam = p('response_mode') ?? 'query';
  const responseMode: ResponseMode =
    modeParam === 'form_post' || modeParam === 'fragment' ? modeParam : 'query';
  const state = p('state');
  const fail = (code: number, params: AadErrorParams = {}): AuthorizeValidation => ({
    ok: false,
    show: 'redirect',
    code,
    params: { ...base, ...params },
    target: { redirectUri, responseMode, state },
  });
  if (modeParam !== responseMode) return fail(900144, { parameter: 'response_mode' });

  const responseType = p('response_type');
  if (!responseType) return fail(900144, { parameter: 'response_type' });
  if (responseType !== 'code') return fail(700054, { responseType });
  const scope = p('scope');
  if (!scope) return fail(900144, { parameter: 'scope' });
  const scopes = resolveScopes(parseScopes(scope));
  if (!scopes.ok) return fail(70011, { scope: scopes.invalidScope });
  // PKCE is mandatory here (Microsoft only requires it for SPAs): the service must always send it.
  const codeChallenge = p('code_challenge');
  if (!codeChallenge) return fail(900144, { parameter: 'code_challenge' });
  if (p('code_challenge_method') !== 'S256') return fail(50149);
  if (!CHALLENGE.test(codeChallenge)) return fail(501491);
  const prompt = p('prompt');
  // The sandbox keeps no sign-in session, so a silent request can never succeed.
  if (prompt === 'none') return fail(50058);

  return {
    ok: true,
    request: {
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      response_mode: responseMode,
      scope,
      state,
      nonce: p('nonce'),
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      login_hint: p('login_hint'),
      prompt,
    },
  };
}

/** The request as hidden form fields, so the POST from the picker can be validated all over again. */
export function hiddenFields(request: AuthorizeRequest): { name: string; value: string }[] {
  return Object.entries(request)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => ({ name, value }));
}
