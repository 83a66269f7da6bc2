import { describe, expect, it } from 'vitest';
import { armTime, toArmTime } from './time.ts';

describe('ARM time formatting', () => {
  it('writes seven fractional digits and Z, like the recordings', () => {
    expect(armTime(new Date('2018-02-11T22:18:03.285Z'))).toBe('2018-02-11T22:18:03.2850000Z');
    expect(armTime(new Date('2026-01-01T09:00:00Z'))).toBe('2026-01-01T09:00:00.0000000Z');
  });

  it('reformats stored ISO times but keeps ones that already have seven digits', () => {
    expect(toArmTime('2026-01-01T09:00:00.000Z')).toBe('2026-01-01T09:00:00.0000000Z');
    expect(toArmTime('2018-02-11T22:18:03.2858169Z')).toBe('2018-02-11T22:18:03.2858169Z');
  });
});
