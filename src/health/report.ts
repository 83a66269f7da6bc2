/**
 * What a finished health-check run tells whoever listens (the notifications in `notify/`): the
 * contract between the run and its hook. Shapes only, so both sides can depend on it.
 */
export interface RunReport {
  runId: string;
  trigger: 'schedule' | 'manual' | 'cli';
  startedAt: string;
  finishedAt: string;
  /** Associations checked. */
  total: number;
  /** This run's verdicts (a failed check counts as `check_failed`) → how many. */
  counts: Record<string, number>;
  /**
   * Associations whose shown verdict changed. `from: null` is a first check. A failed check that keeps
   * an older verdict (stale) is not a transition; it is one only when nothing was known before.
   */
  transitions: {
    associationId: string;
    /** `service_principal`: an automation identity's; `consultantId` is then the identity's ID. */
    kind?: 'user' | 'service_principal';
    consultantId: string;
    email: string;
    displayName: string;
    tenantId: string;
    tenantName: string | null;
    from: string | null;
    to: string;
    evidence: unknown;
  }[];
  /** Problems for admins, not consultants: our app registration refused, the run itself failed. */
  adminAlerts: { kind: string; message: string; tenantId?: string }[];
}

/** Called once per run, after it is recorded as finished; a failure is logged, never retried. */
export type RunFinishedHook = (report: RunReport) => Promise<void>;

export const noRunFinishedHook: RunFinishedHook = async () => {};
