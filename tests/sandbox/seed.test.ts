import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSeed } from '../../src/cli/sandbox-seed.ts';
import { startHealthRun, waitForRun } from '../../src/health/index.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

let service: ServiceWithSandbox;
beforeAll(async () => {
  service = await startServiceWithSandbox();
});
afterAll(async () => {
  await service.close();
});

const control = (path: string, body: unknown) =>
  fetch(`${service.sandbox.url}/_sandbox/control${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('pal sandbox-seed', () => {
  it('adds consultants who have linked, with real sealed sign-ins the health check can use', async () => {
    let printed = '';
    const out = new Writable({
      write(chunk, _encoding, done) {
        printed += String(chunk);
        done();
      },
    });
    const code = await sandboxSeed(service.deps, { consultants: 4, tenants: 2, subscriptions: 1 }, out);
    expect(code).toBe(0);
    expect(printed).toContain('Seeded 4 consultants linked in 2 new customer tenants (8 associations');
    const caches = await service.deps.db.selectFrom('token_caches').selectAll().execute();
    expect(caches).toHaveLength(4);

    const run = await startHealthRun(service.deps, { trigger: 'manual', onRunFinished: async () => {} });
    expect((await waitForRun(service.deps, run.runId))?.counts).toEqual({ healthy: 8 });
  });

  it('is refused outside the sandbox', async () => {
    const deps = {
      ...service.deps,
      config: { ...service.deps.config, sandbox: { enabled: false, port: 0 } },
    };
    await expect(
      sandboxSeed(deps, { consultants: 1, tenants: 1, subscriptions: 1 }, new Writable()),
    ).rejects.toThrow(/only works with the sandbox/);
  });
});

describe('the sandbox sign-in codes for seeded consultants', () => {
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('refuses a malformed request with 400 and an unknown user with 404', async () => {
    const bad = await control('/sign-in-codes', {
      userIds: ['x'],
      redirectUri: 'nope',
      codeChallenge: 'short',
      nonce: '',
    });
    expect(bad.status).toBe(400);
    const unknown = await control('/sign-in-codes', {
      userIds: ['00000000-0000-4000-8000-000000000000'],
      redirectUri: `${service.baseUrl}/auth/callback`,
      codeChallenge: challenge,
      nonce: 'n',
    });
    expect(unknown.status).toBe(404);
  });
});
