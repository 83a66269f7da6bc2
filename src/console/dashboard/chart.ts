import { VERDICTS } from '../../pal/verdicts.ts';
import type { RunCounts } from './coverage.ts';

export interface ChartSegment {
  verdict: string;
  count: number;
  y: number;
  height: number;
}

export interface ChartBar {
  x: number;
  width: number;
  /** Under the bar: the run's day and time (UTC). */
  label: string;
  total: number;
  segments: ChartSegment[];
}

export interface TrendChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  bars: ChartBar[];
  ticks: { y: number; label: string }[];
  /** Verdicts that appear, worst first: the legend. */
  verdicts: string[];
}

const WIDTH = 720;
const HEIGHT = 240;
const PLOT = { left: 44, top: 12, right: WIDTH - 8, bottom: HEIGHT - 36 };

/** The smallest "nice" number (1, 2, 5 × 10^n) at or above `value`, so the axis reads well. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * A stacked bar per check run (healthy at the bottom, worst on top), as geometry for an inline SVG
 * drawn by the template: no chart library, no script, and the engine escapes every label.
 */
export function trendChart(runs: RunCounts[]): TrendChart {
  const order = [...VERDICTS].reverse();
  const totals = runs.map((run) => Object.values(run.counts).reduce((sum, n) => sum + n, 0));
  const max = niceCeiling(Math.max(0, ...totals));
  const plotHeight = PLOT.bottom - PLOT.top;
  const slot = (PLOT.right - PLOT.left) / Math.max(runs.length, 1);
  const barWidth = Math.min(48, slot * 0.6);
  const scale = (n: number) => (n / max) * plotHeight;

  const bars = runs.map((run, index): ChartBar => {
    let top = PLOT.bottom;
    const segments: ChartSegment[] = [];
    for (const verdict of order) {
      const count = run.counts[verdict] ?? 0;
      if (count === 0) continue;
      const height = scale(count);
      top -= height;
      segments.push({ verdict, count, y: round(top), height: round(height) });
    }
    return {
      x: round(PLOT.left + slot * index + (slot - barWidth) / 2),
      width: round(barWidth),
      label: run.at.slice(5, 16).replace('T', ' '),
      total: totals[index] ?? 0,
      segments,
    };
  });
  // Counts are whole: a half-way line only when it falls on a whole number.
  const ticks = (max % 2 === 0 ? [0, max / 2, max] : [0, max]).map((value) => ({
    y: round(PLOT.bottom - scale(value)),
    label: String(value),
  }));
  const seen = new Set(
    runs.flatMap((run) => Object.keys(run.counts).filter((v) => (run.counts[v] ?? 0) > 0)),
  );
  return {
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    bars,
    ticks,
    verdicts: VERDICTS.filter((verdict) => seen.has(verdict)),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
