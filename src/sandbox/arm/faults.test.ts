import { describe, expect, it } from 'vitest';
import { seededRandom } from '../context.ts';
import { DEFAULT_KNOBS } from '../world/model.ts';
import { rollFault } from './faults.ts';

const dice = (...values: number[]) => {
  const queue = [...values];
  return () => queue.shift() ?? 0.99;
};

describe('fault dice', () => {
  it('never faults, and throws no dice, when every knob is off', () => {
    let thrown = 0;
    const counted = () => {
      thrown += 1;
      return 0;
    };
    expect(rollFault(DEFAULT_KNOBS, counted)).toEqual({ kind: 'none' });
    expect(thrown).toBe(0);
  });

  it('throttles with the configured Retry-After when the die falls under the rate', () => {
    const knobs = { ...DEFAULT_KNOBS, throttleRate: 0.1, retryAfterSeconds: 2 };
    expect(rollFault(knobs, dice(0.05))).toEqual({ kind: 'throttled', retryAfterSeconds: 2 });
    expect(rollFault(knobs, dice(0.5))).toEqual({ kind: 'none' });
  });

  it('picks 503 or 500 by a second die unless the status knob fixes it', () => {
    const knobs = { ...DEFAULT_KNOBS, serverErrorRate: 1 };
    expect(rollFault(knobs, dice(0, 0.2))).toMatchObject({ kind: 'server-error', status: 503 });
    expect(rollFault(knobs, dice(0, 0.7))).toMatchObject({ kind: 'server-error', status: 500 });
    expect(rollFault({ ...knobs, serverErrorStatus: 500 }, dice(0, 0.2))).toMatchObject({ status: 500 });
  });

  it('meets roughly the configured share of faults over many calls, repeatably for a seed', () => {
    const knobs = { ...DEFAULT_KNOBS, throttleRate: 0.1, serverErrorRate: 0.02 };
    const run = () => {
      const random = seededRandom(42);
      return Array.from({ length: 10_000 }, () => rollFault(knobs, random).kind);
    };
    const kinds = run();
    const throttled = kinds.filter((k) => k === 'throttled').length;
    expect(throttled).toBeGreaterThan(900);
    expect(throttled).toBeLessThan(1100);
    expect(kinds.filter((k) => k === 'server-error').length).toBeGreaterThan(100);
    expect(run()).toEqual(kinds);
  });
});
