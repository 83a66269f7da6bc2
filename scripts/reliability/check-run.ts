/**
 * The health-check fault scenarios of `npm run reliability` and tests/faults: a sandbox process with a
 * seeded world whose right verdict is known for every association (scripts/bench/health-sandbox.ts),
 * the consultants signed in through MSAL (health-setup.ts), then one run of the service — in a process
 * of its own, as the CLI and the server start it — with the Resource Manager's fault knobs on. With
 * `kill`, that process is SIGKILLed once some verdicts are in, and a new process (the restart) resumes
 * the run; every verdict is then compared with the truth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trustCertificateAuthority } from '../../src/azure/trust.ts';
import type { ArmCallSnapshot } from '../../src/sandbox/arm/calls.ts';
import { sandboxControl } from '../../src/sandbox/control-client.ts';
import { newSignInPlan } from '../../src/sandbox/linked-consultants.ts';
import { runJsonChild, type SandboxProcess, startSandboxProcess } from '../bench/health-processes.ts';
import type { RunInput } from '../bench/health-run.ts';
import type { SeededWorld } from '../bench/health-sandbox.ts';
import { BENCH_PUBLIC_BASE_URL, type SandboxInfo } from '../bench/health-service.ts';
import type { SetupInput } from '../bench/health-setup.ts';
import { checkVerdicts, openBenchDatabase, type VerdictCheck } from '../bench/health-verdicts.ts';
import { jsonChild } from './child.ts';
import type { ResumeResult } from './resume-run.ts';

export interface ArmFaultKnobs {
  throttleRate: number;
  serverErrorRate: number;
  resetRate: number;
  timeoutRate: number;
  seed: number;
}

export interface CheckScenario {
  consultants: number;
  tenants: number;
  subscriptions?: number;
  latencyMs?: number;
  concurrency?: number;
  knobs: ArmFaultKnobs;
  /** The service's Resource Manager attempt timeout in this scenario (its default is 60 s). */
  armAttemptTimeoutMs: number;
  /** SIGKILL the run's process once this many verdicts are recorded, then restart and resume. */
  killAfterVerdicts?: number;
  /** `sqlite:` (a temporary file, the default) or a postgres:// URL with `?schema=`. */
  databaseUrl?: string;
  timeoutMs?: number;
}

export interface CheckOutcome {
  associations: number;
  seconds: number;
  verdicts: VerdictCheck;
  calls: ArmCallSnapshot;
  /** Faults the sandbox answered with: 429, 500/503, connections reset or never answered (status 0). */
  faults: { throttled: number; serverErrors: number; noAnswer: number };
  killed?: { atVerdicts: number; resumedBy: string };
}

type Ready = SandboxInfo & { seeded: SeededWorld };

/** The sandbox and the signed-in consultants, ready for runs (setup, not part of any figure). */
export async function prepareCheckWorld(
  scenario: Pick<CheckScenario, 'consultants' | 'tenants' | 'subscriptions' | 'databaseUrl' | 'timeoutMs'>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'pal-reliability-check-'));
  const databaseUrl = scenario.databaseUrl ?? `sqlite:${join(dir, 'pal.db')}`;
  const timeoutMs = scenario.timeoutMs ?? 600_000;
  const sandbox: SandboxProcess<Ready> = await startSandboxProcess<Ready>(
    [
      '--consultants',
      String(scenario.consultants),
      '--tenants',
      String(scenario.tenants),
      '--subscriptions',
      String(scenario.subscriptions ?? 2),
    ],
    60_000,
  );
  try {
    const info: SandboxInfo = {
      url: sandbox.ready.url,
      caPem: sandbox.ready.caPem,
      clientSecret: sandbox.ready.clientSecret,
    };
    trustCertificateAuthority(info.caPem);
    const plan = newSignInPlan(BENCH_PUBLIC_BASE_URL);
    const codes = await sandbox.command<{ userId: string; code: string }[]>('codes', { plan });
    const setup = await runJsonChild<{ failed: number; failures: string[] }>(
      './health-setup.ts',
      {
        sandbox: info,
        databaseUrl,
        dataDir: dir,
        seeded: sandbox.ready.seeded,
        codes,
        plan,
        concurrency: 8,
      } satisfies SetupInput,
      timeoutMs,
    );
    if (setup.failed > 0)
      throw new Error(`setup: ${setup.failed} sign-ins failed: ${setup.failures.join('; ')}`);
    await sandbox.command('userScenarios');
    return {
      sandbox,
      info,
      databaseUrl,
      dir,
      seeded: sandbox.ready.seeded,
      async close() {
        await sandbox.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export type CheckWorld = Awaited<ReturnType<typeof prepareCheckWorld>>;

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function verdictsRecorded(databaseUrl: string): Promise<{ runId: string | undefined; count: number }> {
  const db = openBenchDatabase(databaseUrl);
  try {
    const run = await db
      .selectFrom('check_runs')
      .select(['id'])
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!run) return { runId: undefined, count: 0 };
    const row = await db
      .selectFrom('verdicts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', run.id)
      .executeTakeFirst();
    return { runId: run.id, count: Number(row?.n ?? 0) };
  } finally {
    await db.destroy();
  }
}

/** One run with the knobs on (optionally killed and resumed); its verdicts against the truth. */
export async function runCheckScenario(world: CheckWorld, scenario: CheckScenario): Promise<CheckOutcome> {
  const timeoutMs = scenario.timeoutMs ?? 600_000;
  await sandboxControl(world.info, 'PATCH', '/knobs', {
    latencyMs: scenario.latencyMs ?? 0,
    retryAfterSeconds: 1,
    serverErrorStatus: null,
    hangMs: 120_000,
    ...scenario.knobs,
  });
  await sandboxControl(world.info, 'DELETE', '/calls');
  const input: RunInput & { armAttemptTimeoutMs: number } = {
    sandbox: world.info,
    databaseUrl: world.databaseUrl,
    dataDir: world.dir,
    concurrency: scenario.concurrency ?? 16,
    armAttemptTimeoutMs: scenario.armAttemptTimeoutMs,
  };
  const previousRun = (await verdictsRecorded(world.databaseUrl)).runId;
  const started = performance.now();
  const deadline = started + timeoutMs;
  const run = jsonChild(script('../bench/health-run.ts'), input);
  let runId: string;
  let killed: CheckOutcome['killed'];
  try {
    if (scenario.killAfterVerdicts === undefined) {
      runId = (JSON.parse(await withDeadline(run.output, deadline, 'the run')) as { runId: string }).runId;
    } else {
      let seen = await verdictsRecorded(world.databaseUrl);
      while (seen.runId === previousRun || seen.count < scenario.killAfterVerdicts) {
        if (run.process.exitCode !== null) throw new Error('the run ended before it could be killed');
        if (performance.now() > deadline) throw new Error('the run made no progress before the deadline');
        await new Promise((resolve) => setTimeout(resolve, 25));
        seen = await verdictsRecorded(world.databaseUrl);
      }
      run.process.kill('SIGKILL');
      await run.output.catch(() => undefined);
      const atKill = await verdictsRecorded(world.databaseUrl);
      // The restart: a new process on the same database. Its clock runs past the stall threshold
      // (RUN_STALLED_AFTER_MS, 2 min) instead of this script waiting two real minutes.
      const resumed = JSON.parse(
        await withDeadline(
          jsonChild(script('./resume-run.ts'), { ...input, clockOffsetMs: 3 * 60_000 }).output,
          deadline,
          'the resumed run',
        ),
      ) as ResumeResult;
      if (!resumed.resumed.includes(atKill.runId ?? '')) {
        throw new Error(
          `the restarted process did not resume run ${atKill.runId}: ${JSON.stringify(resumed)}`,
        );
      }
      runId = atKill.runId!;
      killed = { atVerdicts: atKill.count, resumedBy: 'resumeStalledHealthRuns in a new process' };
    }
  } finally {
    if (run.process.exitCode === null && run.process.signalCode === null) run.process.kill('SIGKILL');
  }
  const seconds = (performance.now() - started) / 1000;
  const calls = await sandboxControl<ArmCallSnapshot>(world.info, 'GET', '/calls');
  await sandboxControl(world.info, 'PATCH', '/knobs', {
    throttleRate: 0,
    serverErrorRate: 0,
    resetRate: 0,
    timeoutRate: 0,
  });
  const verdicts = await checkVerdicts(world.databaseUrl, runId, world.seeded);
  return {
    associations: world.seeded.associations.length,
    seconds,
    verdicts,
    calls,
    faults: {
      throttled: calls.byStatus['429'] ?? 0,
      serverErrors: (calls.byStatus['500'] ?? 0) + (calls.byStatus['503'] ?? 0),
      noAnswer: calls.byStatus['0'] ?? 0,
    },
    ...(killed ? { killed } : {}),
  };
}

async function withDeadline<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not finished in time`)),
      Math.max(0, deadline - performance.now()),
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
