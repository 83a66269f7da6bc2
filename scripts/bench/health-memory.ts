import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in MB: `VmHWM` on Linux. Not `resourceUsage().maxRSS` there: after fork and
 * exec a child's `maxRSS` includes the RSS its parent had at the fork.
 */
export function peakRss(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS / 1024;
}
