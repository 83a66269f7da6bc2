/**
 * Background work shared between the processes of one deployment (DESIGN §9). A job is handed to one
 * worker of one process; if that process dies, the job goes to another. Handlers must therefore be
 * idempotent: a job may run again after a crash.
 *
 * Two adapters stand behind this port: an in-process queue for the embedded default (SQLite, one
 * process), and pg-boss on PostgreSQL, where every instance works the same queues.
 */
export interface JobQueue {
  readonly kind: 'in-process' | 'pg-boss';
  /** Queues jobs for whichever process works `queue`. Resolves once they are stored. */
  send<T extends object>(queue: string, jobs: readonly T[]): Promise<void>;
  /**
   * Works `queue` in this process with at most `concurrency` jobs at once. A second call for the same
   * queue is ignored. A handler that throws has its job retried later (a few times, with backoff).
   */
  work<T extends object>(queue: string, options: WorkOptions, handler: JobHandler<T>): void;
  /** Stops taking jobs and waits for those in hand to finish. */
  stop(): Promise<void>;
}

export interface WorkOptions {
  concurrency: number;
}

export type JobHandler<T> = (job: T) => Promise<void>;
