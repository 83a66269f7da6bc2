import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What one category of hostile input produced. */
export interface CategoryFigures {
  tried: number;
  /** Refused with a client error: the expected answer to most hostile input. */
  status4xx: number;
  /** Accepted (or redirected) because the input was harmless once escaped or normalised. */
  status2xx3xx: number;
  /** Must stay 0: the product owner's bar is "never a 5xx". */
  status5xx: number;
  /** Pages and mails searched for a payload that must appear only escaped. */
  escapedChecks: number;
}

/**
 * Counts what the hostile-input suite sends and what comes back, per category, and writes the figures
 * as JSON for the reliability report. A 5xx is counted, named and later asserted to be absent.
 */
export function createTally() {
  const categories = new Map<string, CategoryFigures>();
  const fiveHundreds: string[] = [];
  const figures = (category: string) => {
    let found = categories.get(category);
    if (!found) {
      found = { tried: 0, status4xx: 0, status2xx3xx: 0, status5xx: 0, escapedChecks: 0 };
      categories.set(category, found);
    }
    return found;
  };
  return {
    /** Records one response; returns the status so callers can assert on it inline. */
    response(category: string, label: string, status: number): number {
      const f = figures(category);
      f.tried += 1;
      if (status >= 500) {
        f.status5xx += 1;
        fiveHundreds.push(`${category}: ${label} → ${status}`);
      } else if (status >= 400) f.status4xx += 1;
      else f.status2xx3xx += 1;
      return status;
    },
    /** Records an input that was handled without HTTP (a rendered mail, a parser call). */
    input(category: string, count = 1) {
      figures(category).tried += count;
    },
    escaped(category: string, count = 1) {
      figures(category).escapedChecks += count;
    },
    fiveHundreds: () => [...fiveHundreds],
    figures: (category: string) => ({ ...figures(category) }),
    write(file: string) {
      const byCategory = Object.fromEntries([...categories].sort(([a], [b]) => a.localeCompare(b)));
      const totals = [...categories.values()].reduce(
        (sum, f) => ({
          tried: sum.tried + f.tried,
          status4xx: sum.status4xx + f.status4xx,
          status2xx3xx: sum.status2xx3xx + f.status2xx3xx,
          status5xx: sum.status5xx + f.status5xx,
          escapedChecks: sum.escapedChecks + f.escapedChecks,
        }),
        { tried: 0, status4xx: 0, status2xx3xx: 0, status5xx: 0, escapedChecks: 0 },
      );
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(
        file,
        `${JSON.stringify({ generatedAt: new Date().toISOString(), categories: byCategory, totals, fiveHundreds }, null, 2)}\n`,
      );
    },
  };
}

export type Tally = ReturnType<typeof createTally>;
