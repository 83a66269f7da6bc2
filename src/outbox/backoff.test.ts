import { describe, expect, it } from 'vitest';
import { nextAttemptDelay } from './backoff.ts';

describe('retry backoff', () => {
  it('doubles from 30 seconds and stops growing at an hour', () => {
    const middle = () => 0.5;
    expect(nextAttemptDelay(1, middle)).toBe(30_000);
    expect(nextAttemptDelay(2, middle)).toBe(60_000);
    expect(nextAttemptDelay(4, middle)).toBe(240_000);
    expect(nextAttemptDelay(20, middle)).toBe(3_600_000);
  });

  it('spreads retries by ±20 %', () => {
    expect(nextAttemptDelay(1, () => 0)).toBe(24_000);
    expect(nextAttemptDelay(1, () => 1)).toBe(36_000);
  });
});
