import { describe, expect, it } from 'vitest';
import { niceCeiling, trendChart } from './chart.ts';

const run = (at: string, counts: Record<string, number>) => ({ runId: at, at, state: 'completed', counts });

describe('the trend chart over check runs', () => {
  it('rounds the axis up to a readable number', () => {
    expect([0, 1, 3, 7, 12, 48, 120].map(niceCeiling)).toEqual([1, 1, 5, 10, 20, 50, 200]);
  });

  it('stacks each run with healthy at the bottom and the worst verdict on top', () => {
    const chart = trendChart([
      run('2026-11-19T05:00:00.000Z', { healthy: 3, reader_only: 1, account_revoked: 1 }),
    ]);
    const [bar] = chart.bars;
    expect(bar?.total).toBe(5);
    expect(bar?.segments.map((s) => s.verdict)).toEqual(['healthy', 'reader_only', 'account_revoked']);
    const [healthy, reader, revoked] = bar!.segments;
    expect(healthy!.y).toBeGreaterThan(reader!.y);
    expect(reader!.y).toBeGreaterThan(revoked!.y);
    // The full bar reaches the top of the plot: five is the axis maximum.
    expect(revoked!.y).toBeCloseTo(chart.plot.top, 0);
    expect(bar?.label).toBe('11-19 05:00');
  });

  it('gives one bar per run, left to right, and a legend of the verdicts that occur', () => {
    const chart = trendChart([
      run('2026-11-18T05:00:00.000Z', { healthy: 2 }),
      run('2026-11-19T05:00:00.000Z', { healthy: 1, pal_missing: 1 }),
    ]);
    expect(chart.bars).toHaveLength(2);
    expect(chart.bars[0]!.x).toBeLessThan(chart.bars[1]!.x);
    expect(chart.verdicts).toEqual(['pal_missing', 'healthy']);
    expect(chart.ticks.map((t) => t.label)).toEqual(['0', '1', '2']);
  });

  it('draws an empty plot when there has been no run', () => {
    expect(trendChart([]).bars).toEqual([]);
  });
});
