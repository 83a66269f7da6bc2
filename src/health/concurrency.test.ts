import { describe, expect, it } from 'vitest';
import { createKeyedLock, forEachBounded } from './concurrency.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded concurrency', () => {
  it('never has more than the limit in flight and handles every item', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      seen.push(n);
      inFlight -= 1;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stops taking items after a failure and lets those in flight finish before throwing', async () => {
    const finished: number[] = [];
    await expect(
      forEachBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        await tick();
        if (n === 2) throw new Error('disk full');
        finished.push(n);
      }),
    ).rejects.toThrow('disk full');
    expect(finished).toEqual([1, 3]);
  });
});

describe('the keyed lock', () => {
  it('runs holders of one key one after another, and other keys alongside', async () => {
    const withLock = createKeyedLock();
    const log: string[] = [];
    const hold = (key: string, name: string) =>
      withLock(key, async () => {
        log.push(`${name} in`);
        await tick();
        log.push(`${name} out`);
      });
    await Promise.all([hold('a', 'a1'), hold('a', 'a2'), hold('b', 'b1')]);
    expect(log.indexOf('a1 out')).toBeLessThan(log.indexOf('a2 in'));
    expect(log.indexOf('b1 in')).toBeLessThan(log.indexOf('a1 out'));
  });

  it('lets the next holder in after one fails', async () => {
    const withLock = createKeyedLock();
    await expect(withLock('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withLock('a', async () => 'ok')).toBe('ok');
  });
});
