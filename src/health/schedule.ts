import { Cron } from 'croner';
import type { Clock } from '../platform/clock.ts';

/** The first firing of `cron` strictly after `after`; null when the expression never fires again. */
export function nextRunAt(cron: string, after: Date): Date | null {
  return new Cron(cron, { paused: true }).nextRun(after);
}

/**
 * Whether the schedule has fired since `since` (the last scheduled run, or when the scheduler
 * started). A server that was down at 05:00 runs the missed check once when it comes back.
 */
export function isDue(cron: string, since: Date, now: Date): boolean {
  const next = nextRunAt(cron, since);
  return next !== null && next.getTime() <= now.getTime();
}

export interface HealthScheduleDeps {
  cron: string;
  clock: Clock;
  /** When the schedule last started a run, from the database (shared by every instance). */
  lastScheduledAt(): Promise<Date | null>;
  /**
   * Starts the run for this occurrence of the schedule (or finds that another instance did); must not
   * wait for it to finish.
   */
  fire(occurrence: Date): Promise<void>;
  onError(error: unknown): void;
}

/**
 * The schedule as a `tick()` the caller drives: a timer in the server, a manual clock in tests. The
 * last firing is read from the database, so restarts and several instances agree on what is due.
 */
export function createHealthSchedule(deps: HealthScheduleDeps) {
  const startedAt = deps.clock.now();
  let ticking = false;
  return {
    /** Fires when due; true when it did. Overlapping ticks are skipped. */
    async tick(): Promise<boolean> {
      if (ticking) return false;
      ticking = true;
      try {
        const since = (await deps.lastScheduledAt()) ?? startedAt;
        const occurrence = nextRunAt(deps.cron, since);
        if (!occurrence || occurrence.getTime() > deps.clock.now().getTime()) return false;
        await deps.fire(occurrence);
        return true;
      } catch (error) {
        deps.onError(error);
        return false;
      } finally {
        ticking = false;
      }
    },
  };
}

export type HealthSchedule = ReturnType<typeof createHealthSchedule>;
