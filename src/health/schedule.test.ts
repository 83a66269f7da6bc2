import { describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.ts';
import { createHealthSchedule, isDue, nextRunAt } from './schedule.ts';

// Croner reads cron in the process's time zone; build local dates so the test holds in any zone.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute);

describe('when the schedule is due', () => {
  it('names the next firing after a moment', () => {
    expect(nextRunAt('0 5 * * *', at(20, 4, 59))).toEqual(at(20, 5));
    expect(nextRunAt('0 5 * * *', at(20, 5))).toEqual(at(21, 5));
  });

  it('is due once the next firing after the last run has passed, and not before', () => {
    expect(isDue('0 5 * * *', at(20, 5), at(21, 4, 59))).toBe(false);
    expect(isDue('0 5 * * *', at(20, 5), at(21, 5))).toBe(true);
    // Down over 05:00: due at once when back.
    expect(isDue('0 5 * * *', at(18, 5), at(21, 9))).toBe(true);
  });
});

describe('the schedule driven by a manual clock', () => {
  it('fires when the clock passes the cron time, once, and again the next day', async () => {
    const clock = manualClock(at(20, 9));
    let last: Date | null = null;
    const fired: Date[] = [];
    const schedule = createHealthSchedule({
      cron: '0 5 * * *',
      clock,
      lastScheduledAt: async () => last,
      fire: async () => {
        last = clock.now();
        fired.push(clock.now());
      },
      onError: (error) => {
        throw error;
      },
    });
    expect(await schedule.tick()).toBe(false);
    clock.set(at(21, 4, 59));
    expect(await schedule.tick()).toBe(false);
    clock.set(at(21, 5, 0));
    expect(await schedule.tick()).toBe(true);
    clock.set(at(21, 5, 1));
    expect(await schedule.tick()).toBe(false);
    clock.set(at(22, 5, 0));
    expect(await schedule.tick()).toBe(true);
    expect(fired).toEqual([at(21, 5), at(22, 5)]);
  });

  it('keeps ticking after a failed start, and tries again on the next tick', async () => {
    const clock = manualClock(at(21, 4));
    const errors: unknown[] = [];
    let attempts = 0;
    const schedule = createHealthSchedule({
      cron: '0 5 * * *',
      clock,
      lastScheduledAt: async () => null,
      fire: async () => {
        attempts += 1;
        throw new Error('database is locked');
      },
      onError: (error) => errors.push(error),
    });
    clock.set(at(21, 5));
    expect(await schedule.tick()).toBe(false);
    expect(await schedule.tick()).toBe(false);
    expect(attempts).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
