/**
 * The restart after a SIGKILL in the middle of a health-check run: a new process on the same database
 * does what the server does at start-up (`resumeStalledHealthRuns`), then follows the resumed run to
 * its end. Reads a RunInput (plus `clockOffsetMs`) as JSON on stdin; prints one JSON line.
 */
import { text } from 'node:stream/consumers';
import { closeDeps } from '../../src/deps.ts';
import { resumeStalledHealthRuns, waitForRun } from '../../src/health/index.ts';
import type { RunInput } from '../bench/health-run.ts';
import { buildBenchDeps } from '../bench/health-service.ts';

export interface ResumeResult {
  resumed: string[];
  total: number | undefined;
  counts: Record<string, number> | undefined;
}

const input = JSON.parse(await text(process.stdin)) as RunInput & {
  clockOffsetMs: number;
  armAttemptTimeoutMs?: number;
};
const deps = await buildBenchDeps(input);
const resumed = await resumeStalledHealthRuns(deps);
let report: Awaited<ReturnType<typeof waitForRun>>;
for (const runId of resumed) report = await waitForRun(deps, runId);
await closeDeps(deps);
const result: ResumeResult = { resumed, total: report?.total, counts: report?.counts };
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
