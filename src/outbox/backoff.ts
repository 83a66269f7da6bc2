/**
 * Delay before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min … capped at one hour,
 * with ±20 % jitter so a mail server's outage does not end in a thundering herd.
 */
export function nextAttemptDelay(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}
