import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseRateLimitStore } from '../../src/platform/http/rate-limit.ts';
import { buildTestApp } from '../support/app.ts';

let app: Awaited<ReturnType<typeof buildTestApp>>;
beforeEach(async () => {
  app = await buildTestApp();
});
afterEach(async () => {
  await app.close();
});

/** Two instances' stores on one database, as two servers behind a load balancer would have. */
function twoInstances(name = 'onboarding:continue') {
  const stores = [databaseRateLimitStore(app.deps, name), databaseRateLimitStore(app.deps, name)];
  for (const store of stores) store.init?.({ windowMs: 60_000 } as never);
  return stores as [(typeof stores)[0], (typeof stores)[0]];
}

describe('rate limits counted in the database', () => {
  it('adds up the hits of every instance for one client, within one window', async () => {
    const [a, b] = twoInstances();
    expect((await a.increment('203.0.113.7')).totalHits).toBe(1);
    expect((await b.increment('203.0.113.7')).totalHits).toBe(2);
    const third = await a.increment('203.0.113.7');
    expect(third.totalHits).toBe(3);
    expect(third.resetTime?.toISOString()).toBe(new Date(app.clock.now().getTime() + 60_000).toISOString());
    // Another address, and another limiter, count on their own.
    expect((await b.increment('198.51.100.1')).totalHits).toBe(1);
    expect(
      (await databaseRateLimitStore(app.deps, 'console:sign-in').increment('203.0.113.7')).totalHits,
    ).toBe(1);
    expect(await b.get?.('203.0.113.7')).toMatchObject({ totalHits: 3 });
  });

  it('starts again at 1 once the window is over', async () => {
    const [a, b] = twoInstances();
    await a.increment('203.0.113.7');
    await a.increment('203.0.113.7');
    app.clock.advance(60_001);
    expect(await b.get?.('203.0.113.7')).toBeUndefined();
    expect((await b.increment('203.0.113.7')).totalHits).toBe(1);
  });

  it('takes back a hit, and forgets a client on reset', async () => {
    const [a, b] = twoInstances();
    await a.increment('203.0.113.7');
    await a.increment('203.0.113.7');
    await b.decrement('203.0.113.7');
    expect(await a.get?.('203.0.113.7')).toMatchObject({ totalHits: 1 });
    await b.resetKey('203.0.113.7');
    expect(await a.get?.('203.0.113.7')).toBeUndefined();
  });
});
