import type { Logger } from '../platform/logger.ts';
import type { OutboxStore, Outcome } from './store.ts';

/**
 * How long an outcome may wait to be written with others. Each commit appends the touched pages to
 * the WAL, so one commit for a dozen messages costs little more than one for a single message; a crash
 * in this window only adds these few messages to those in flight (sent again after their claims expire).
 */
const GROUP_MS = 10;

/**
 * Writes outcomes in groups ("group commit"): an outcome is written at most GROUP_MS after the server
 * answered, together with every other outcome of that window, in one transaction. Nothing is recorded
 * before the server has answered. Writes run one after another, in the order outcomes arrived.
 */
export function createOutcomeRecorder(store: OutboxStore, workerId: string, logger: Logger) {
  let pending: Outcome[] = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  function writePending(): Promise<void> {
    const outcomes = pending;
    pending = [];
    writing = writing.then(async () => {
      try {
        await store.record(workerId, outcomes);
      } catch (error) {
        // The rows stay claimed; once the claims expire the messages are sent again.
        logger.error({ err: error, count: outcomes.length }, 'could not record what became of messages');
      }
    });
    return writing;
  }

  return {
    add(outcome: Outcome): void {
      pending.push(outcome);
      if (scheduled) return;
      scheduled = true;
      setTimeout(() => {
        scheduled = false;
        void writePending();
      }, GROUP_MS);
    },

    /** Resolves once every outcome added so far is written. */
    flush: (): Promise<void> => writePending(),
  };
}
