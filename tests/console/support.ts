import { createHash } from 'node:crypto';
import type { Router } from 'express';
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import type { AdminAccount, IdentityPlatform } from '../../src/azure/identity-platform.ts';
import { consoleRouter } from '../../src/console/index.ts';
import type { Deps } from '../../src/deps.ts';
import { buildTestApp, testConfig } from '../support/app.ts';

export const ORIGIN = 'http://localhost:3000';
export const PARTNER_TENANT = '7a1f3c52-0d4e-4b8a-9c61-2f5e8d3b4a10';
const AUTHORIZE = 'https://login.example/partner/oauth2/v2.0/authorize';

export const ALEX: AdminAccount = {
  tenantId: PARTNER_TENANT,
  objectId: '0b1ec700-0000-4000-8000-000000000001',
  name: 'Alex Admin',
  emails: ['alex.admin@contoso.example'],
  roles: [],
};
export const PAT_WITH_ROLE: AdminAccount = {
  ...ALEX,
  objectId: '0b1ec700-0000-4000-8000-000000000009',
  name: 'Pat Role',
  emails: ['pat.role@contoso.example'],
  roles: ['PAL.Admin'],
};
export const DANA_NOT_ADMIN: AdminAccount = {
  ...ALEX,
  objectId: '0b1ec700-0000-4000-8000-000000000002',
  name: 'Dana Contributor',
  emails: ['dana.contributor@contoso.example'],
};

/**
 * The identity port as the console sees it, faked: the "authorize URL" carries state and nonce, and
 * redeeming a code (named after a person) succeeds only with the PKCE verifier and nonce of the start.
 */
export function fakeIdentity(people: Record<string, AdminAccount>) {
  const started = new Map<string, { nonce: string; codeChallenge: string }>();
  const identity: IdentityPlatform = {
    async adminSignInUrl(start) {
      started.set(start.state, { nonce: start.nonce, codeChallenge: start.codeChallenge });
      return `${AUTHORIZE}?${new URLSearchParams({ state: start.state, nonce: start.nonce })}`;
    },
    async redeemAdminCode(input) {
      const start = started.get(input.state);
      const challenge = createHash('sha256').update(input.codeVerifier).digest('base64url');
      const person = people[input.code];
      if (!start || start.codeChallenge !== challenge || start.nonce !== input.nonce || !person) {
        return {
          ok: false,
          failure: { kind: 'unknown', aadsts: 54005, errorCode: 'invalid_grant', message: 'bad code' },
        };
      }
      return { ok: true, value: person };
    },
    authorizeUrl: () => Promise.reject(new Error('not used by the console')),
    redeemCode: () => Promise.reject(new Error('not used by the console')),
    tokenForTenant: () => Promise.reject(new Error('not used by the console')),
  };
  return identity;
}

export type Agent = ReturnType<typeof request.agent>;

/** A console app per test (in-memory database, fake Microsoft), closed after each. */
export function consolePerTest() {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  return async (env: Record<string, string> = {}) => {
    const built = await buildTestApp({
      config: testConfig({ PUBLIC_BASE_URL: ORIGIN, ...env }),
      azure: { identity: fakeIdentity({ alex: ALEX, pat: PAT_WITH_ROLE, dana: DANA_NOT_ADMIN }) },
    });
    close = built.close;
    return { ...built, agent: () => request.agent(built.app) };
  };
}

/** Walks the sign-in as a browser would: start (POST), Microsoft (faked), callback. Returns the callback response. */
export async function signIn(agent: Agent, who: string, returnTo = '/console') {
  const started = await agent.post('/console/sign-in').set('origin', ORIGIN).type('form').send({ returnTo });
  expect(started.status).toBe(303);
  const authorize = new URL(started.headers.location as string);
  return agent
    .get('/console/auth/callback')
    .query({ code: who, state: authorize.searchParams.get('state')! });
}

/** A signed-in admin's browser. */
export async function signedIn(agent: Agent, who = 'alex') {
  const callback = await signIn(agent, who);
  expect(callback.status).toBe(303);
  return agent;
}

/** The form token a page carries (every console page has the sign-out form at least). */
export async function csrfFrom(agent: Agent, path = '/console') {
  const page = await agent.get(path);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(token, `a form token on ${path}`).toBeTruthy();
  return token!;
}

/** Submits a console form as our own page would: same origin, with the session's token. */
export async function submit(agent: Agent, path: string, form: Record<string, string | string[]> = {}) {
  const token = await csrfFrom(agent);
  return agent
    .post(path)
    .set('origin', ORIGIN)
    .type('form')
    .send({ ...form, _csrf: token });
}

/** The session cookie's value from a response's Set-Cookie, if it sets one. */
export function sessionCookieOf(response: { headers: Record<string, unknown> }, name = 'pal_console') {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = cookies.find((c) => c.startsWith(`${name}=`));
  return cookie ? { raw: cookie, value: cookie.slice(name.length + 1).split(';')[0]! } : undefined;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route of the console router, read from the router itself so new pages are included. */
export function consoleRoutes(deps: Deps): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all')
            routes.push({ method, path: `/console${layer.route.path === '/' ? '' : layer.route.path}` });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((consoleRouter(deps) as Router & { stack: Layer[] }).stack);
  return routes;
}
