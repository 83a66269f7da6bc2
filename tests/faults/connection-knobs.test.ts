import { request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createArmClient } from '../../src/azure/arm-client.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { issueAccessToken } from '../../src/sandbox/tokens.ts';
import { DEFAULT_KNOBS } from '../../src/sandbox/world/model.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { startTestSandbox } from '../support/sandbox.ts';

// The sandbox's connection faults (reset, never answered), seen through the service's own Resource
// Manager adapter: each must end in bounded time as a network failure, or succeed on a retry.
let sandbox: RunningSandbox;
let token: { token: string; expiresOnTimestamp: number };

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const dana = sandbox.world.userByUpn('dana.contributor@contoso.example')!;
  const objectId = sandbox.world.identity(dana.id, SEED.tenants.fabrikam)!.objectId;
  const issued = await issueAccessToken(sandbox.context, {
    tenantId: SEED.tenants.fabrikam,
    objectId,
    upn: dana.upn,
    scp: 'user_impersonation',
  });
  token = { token: issued, expiresOnTimestamp: Date.now() + 3_000_000 };
});
afterAll(() => sandbox.close());
afterEach(async () => {
  await control('POST', '/reset');
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}/_sandbox/control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = response.status === 204 ? undefined : await response.json();
  // biome-ignore lint/suspicious/noExplicitAny: test helper returning whatever JSON the sandbox sent
  return { status: response.status, body: answer as any };
}

const arm = (attemptTimeoutMs: number, maxRetries: number) =>
  createArmClient({
    endpoint: sandbox.url,
    retry: { maxRetries, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    attemptTimeoutMs,
  });

/** A raw HTTPS GET with no client timeout: how long until the connection ends, and how. */
function rawGet(path: string): Promise<{ outcome: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      `${sandbox.url}${path}`,
      { headers: { authorization: `Bearer ${token.token}` }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ outcome: `status ${res.statusCode}`, ms: performance.now() - started }),
        );
      },
    );
    req.on('error', (error) =>
      resolve({
        outcome: (error as NodeJS.ErrnoException).code ?? error.message,
        ms: performance.now() - started,
      }),
    );
    req.end();
  });
}

describe('the sandbox knobs for connection faults', () => {
  it('accepts resetRate, timeoutRate and hangMs, and refuses values out of range', async () => {
    const set = await control('PATCH', '/knobs', { resetRate: 0.05, timeoutRate: 0.01, hangMs: 3000 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ resetRate: 0.05, timeoutRate: 0.01, hangMs: 3000 });
    for (const body of [{ resetRate: 1.5 }, { timeoutRate: -0.1 }, { hangMs: 0 }, { hangMs: 600_001 }]) {
      const refused = await control('PATCH', '/knobs', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    await control('POST', '/reset');
    expect(sandbox.world.knobs()).toMatchObject({ resetRate: 0, timeoutRate: 0 });
  });

  it('resetRate 1 destroys the connection before any answer; the call is counted with status 0', async () => {
    await control('PATCH', '/knobs', { resetRate: 1 });
    await control('DELETE', '/calls');
    const raw = await rawGet('/subscriptions?api-version=2022-12-01');
    expect(raw.outcome).toBe('ECONNRESET');
    const calls = await control('GET', '/calls');
    expect(calls.body.byStatus).toEqual({ 0: 1 });
  });

  it('a reset is retried by the adapter, and reported as a network failure when every attempt meets one', async () => {
    await control('PATCH', '/knobs', { resetRate: 1 });
    await control('DELETE', '/calls');
    const result = await arm(5_000, 2).listSubscriptions(token);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'network' } });
    // Three attempts: the first and two retries, each met a reset.
    expect((await control('GET', '/calls')).body.byStatus).toEqual({ 0: 3 });

    await control('PATCH', '/knobs', { resetRate: 0.5, seed: 3 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => arm(5_000, 6).listSubscriptions(token)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('a call never answered ends at the adapter’s attempt timeout, is retried, and fails as network', async () => {
    await control('PATCH', '/knobs', { timeoutRate: 1, hangMs: 60_000 });
    await control('DELETE', '/calls');
    const started = performance.now();
    const result = await arm(300, 1).getPartnerLink(token);
    const ms = performance.now() - started;
    expect(result).toMatchObject({ ok: false, failure: { kind: 'network', code: 'ETIMEDOUT' } });
    // Two attempts of 300 ms and a short back-off: nowhere near the 60 s the sandbox would wait.
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(5_000);
    // The sandbox saw both connections close (the client gave up), and counted them.
    await expect.poll(async () => (await control('GET', '/calls')).body.byStatus).toEqual({ 0: 2 });
  });

  it('with some calls unanswered, retries get every answer', async () => {
    await control('PATCH', '/knobs', { timeoutRate: 0.3, hangMs: 60_000, seed: 5 });
    const results = await Promise.all(Array.from({ length: 10 }, () => arm(200, 6).getPartnerLink(token)));
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('without a client timeout, the sandbox itself drops an unanswered call after hangMs', async () => {
    await control('PATCH', '/knobs', { timeoutRate: 1, hangMs: 200 });
    const raw = await rawGet('/subscriptions?api-version=2022-12-01');
    expect(raw.outcome).toBe('ECONNRESET');
    expect(raw.ms).toBeGreaterThanOrEqual(190);
    expect(raw.ms).toBeLessThan(3_000);
  });

  it('the defaults meet no connection faults', () => {
    expect(DEFAULT_KNOBS).toMatchObject({ resetRate: 0, timeoutRate: 0 });
  });
});
