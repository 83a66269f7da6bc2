import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import request from 'supertest';
import { afterEach } from 'vitest';
import { apiRouter } from '../../src/admin/api.ts';
import type { Deps } from '../../src/deps.ts';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../support/app.ts';

export const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** A test app plus shortcuts for admin calls. Call `close()` in afterEach. */
export async function apiTestApp(options: Parameters<typeof buildTestApp>[0] = {}) {
  const built = await buildTestApp(options);
  const api = {
    get: (path: string) => request(built.app).get(path).set(ADMIN),
    post: (path: string, body?: object) => request(built.app).post(path).set(ADMIN).send(body),
    patch: (path: string, body?: object) => request(built.app).patch(path).set(ADMIN).send(body),
    put: (path: string, body?: object) => request(built.app).put(path).set(ADMIN).send(body),
    delete: (path: string) => request(built.app).delete(path).set(ADMIN),
  };
  return { ...built, api };
}

/** Registers cleanup and returns a per-test app builder: `const setup = appPerTest();` at file level. */
export function appPerTest() {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  return async (options: Parameters<typeof buildTestApp>[0] = {}) => {
    const built = await apiTestApp(options);
    close = built.close;
    return built;
  };
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Every route the admin API router serves, read from the router itself so new routes are included. */
export function apiRoutes(deps: Deps): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== '_all') routes.push({ method, path: `${prefix}${layer.route.path}` });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, `${prefix}${layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''}`);
      }
    }
  };
  walk((apiRouter(deps) as Router & { stack: Layer[] }).stack, '/api');
  return routes;
}

/** A concrete URL for a route pattern (`:id` → a well-formed ID that exists nowhere). */
export function concrete(path: string): string {
  return path.replace(/:[A-Za-z]+/g, randomUUID());
}

export async function insertInvitation(
  deps: Deps,
  consultantId: string,
  values: {
    state?: 'open' | 'completed' | 'superseded' | 'revoked';
    tenantId?: string;
    createdAt?: string;
  } = {},
) {
  const id = randomUUID();
  await deps.db
    .insertInto('invitations')
    .values({
      id,
      consultant_id: consultantId,
      tenant_id: values.tenantId ?? null,
      token_hash: `hash-${id}`,
      state: values.state ?? 'open',
      batch_id: null,
      created_at: values.createdAt ?? '2026-11-19T09:00:00.000Z',
      expires_at: '2026-12-03T09:00:00.000Z',
      claimed_at: null,
      completed_at: values.state === 'completed' ? '2026-11-19T10:00:00.000Z' : null,
      last_sent_at: null,
    })
    .execute();
  return id;
}

export async function insertAssociation(deps: Deps, consultantId: string, tenantId: string) {
  const id = randomUUID();
  await deps.db
    .insertInto('associations')
    .values({
      id,
      consultant_id: consultantId,
      kind: 'user',
      tenant_id: tenantId,
      tenant_name: 'Fabrikam',
      object_id: randomUUID(),
      partner_id: '4471231',
      previous_partner_id: null,
      linked_at: '2026-11-19T10:00:00.000Z',
      status: 'active',
      verdict: 'healthy',
      verdict_since: '2026-11-19T10:00:00.000Z',
      last_checked_at: '2026-11-20T05:00:00.000Z',
      evidence: '{}',
    })
    .execute();
  return id;
}
