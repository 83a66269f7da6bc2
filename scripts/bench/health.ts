import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { trustCertificateAuthority } from '../../src/azure/trust.ts';
import type { ArmCallSnapshot } from '../../src/sandbox/arm/calls.ts';
import { sandboxControl } from '../../src/sandbox/control-client.ts';
import { newSignInPlan } from '../../src/sandbox/linked-consultants.ts';
import { SERVICE_NODE_FLAGS } from '../runtime-flags.mjs';
import {
  killChildren,
  runJsonChild,
  type SandboxProcess,
  startSandboxProcess,
  startWorkerChild,
} from './health-processes.ts';
import type { RunInput, RunResult } from './health-run.ts';
import type { SeededWorld } from './health-sandbox.ts';
import { BENCH_PUBLIC_BASE_URL, type SandboxInfo } from './health-service.ts';
import type { SetupInput } from './health-setup.ts';
import { checkVerdicts, type VerdictCheck } from './health-verdicts.ts';

const TARGETS = { efficiency: 1.33, rssMb: 300 };

const { values: args } = parseArgs({
  options: {
    associations: { type: 'string', default: '5000' },
    tenants: { type: 'string', default: '5' },
    subscriptions: { type: 'string', default: '3' },
    'latency-ms': { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    'throttle-rate': { type: 'string', default: '0.10' },
    'server-error-rate': { type: 'string', default: '0.02' },
    'retry-after': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'healthy-only': { type: 'boolean', default: false },
    'skip-faults': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1200' },
    /** V8/Node flags for the measured runs' processes (the service), e.g. `--max-semi-space-size=16`. */
    /** The service's runtime flags by default (as `npm start` runs it); `--node-flags=` for Node's defaults. */
    'node-flags': { type: 'string', default: SERVICE_NODE_FLAGS.join(' ') },
    /** V8/Node flags for the sandbox's process (e.g. `--cpu-prof` to see where its time goes). */
    'sandbox-node-flags': { type: 'string', default: '' },
    /** Keep the temporary folder (the SQLite file with every verdict) and print where it is. */
    keep: { type: 'boolean', default: false },
    'database-url': { type: 'string', default: '' },
    workers: { type: 'string', default: '1' },
  },
});
const workerCounts = args.workers.split(',').map(Number);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--workers: e.g. 1 or 1,2');
if (workerCounts.some((n) => n > 1) && !args['database-url'].startsWith('postgres'))
  throw new Error('--workers above 1 needs --database-url postgres://… (instances share PostgreSQL)');
const tenants = Number(args.tenants);
const consultants = Math.ceil(Number(args.associations) / tenants);
const associations = consultants * tenants;
const subscriptions = Number(args.subscriptions);
const latencyMs = Number(args['latency-ms']);
const concurrency = Number(args.concurrency);
const timeoutMs = Number(args.timeout) * 1000;

type Ready = SandboxInfo & { seeded: SeededWorld };
interface SandboxStats {
  identity: Record<string, number>;
  connections: number;
  perIdentity: Record<string, number>;
  cpuSeconds: number;
  peakRssMb: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const v of values) total += v;
  return total;
};

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

/** The benchmark's schema and pg-boss's beside it. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.query(`drop schema if exists "${schema}_jobs" cascade`);
  await client.end();
}

/** CPU seconds the whole machine spent busy so far (Linux `/proc/stat`; undefined elsewhere). */
function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
    const busy = fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
    return busy / 100;
  } catch {
    return undefined;
  }
}

interface Measured {
  label: string;
  /** Service processes working the run's jobs. */
  workers: number;
  /** CPU seconds used by processes other than the service and the sandbox during the run. */
  otherCpuSeconds: number | undefined;
  run: RunResult;
  calls: ArmCallSnapshot;
  sandbox: SandboxStats;
  verdicts: VerdictCheck;
}

async function measure(
  label: string,
  sandbox: SandboxProcess<Ready>,
  input: RunInput,
  knobs: Record<string, unknown>,
  workers = 1,
): Promise<Measured> {
  await sandboxControl(sandbox.ready, 'PATCH', '/knobs', knobs);
  await sandboxControl(sandbox.ready, 'DELETE', '/calls');
  await sandbox.command('resetStats');
  const nodeArgs = args['node-flags'].split(/\s+/).filter(Boolean);
  // The other instances start (and sit idle) before the clock does, as servers would.
  const others = await Promise.all(
    Array.from({ length: workers - 1 }, () =>
      startWorkerChild('./health-worker.ts', input, 60_000, nodeArgs),
    ),
  );
  const busyBefore = machineBusySeconds();
  const run = await runJsonChild<RunResult>('./health-run.ts', input, timeoutMs, nodeArgs);
  const busyAfter = machineBusySeconds();
  await Promise.all(others.map((other) => other.stop()));
  const calls = await sandboxControl<ArmCallSnapshot>(sandbox.ready, 'GET', '/calls');
  const stats = await sandbox.command<SandboxStats>('stats');
  // The run process's start-up and exit are in the machine's figure but not in its own: roughly 1 s.
  const otherCpuSeconds =
    busyBefore === undefined || busyAfter === undefined
      ? undefined
      : Math.max(0, busyAfter - busyBefore - run.cpuSeconds - stats.cpuSeconds);
  return {
    label,
    otherCpuSeconds,
    run,
    calls,
    sandbox: stats,
    verdicts: await checkVerdicts(input.databaseUrl, run.runId, sandbox.ready.seeded),
    workers,
  };
}

function report(
  m: Measured,
  seeded: SeededWorld,
  faulty: boolean,
): { efficiency: number; perAssociationMax: number } {
  const { run, calls, sandbox } = m;
  const roleDefinitionCalls = calls.byOperation['roleDefinitions.get'] ?? 0;
  const perAssociation = Object.values(sandbox.perIdentity);
  const perAssociationMax = Math.max(0, ...perAssociation);
  const reachedArm = seeded.associations.filter((a) => !a.tokenFails);
  const expectedCalls = sum(reachedArm.map((a) => 2 + a.visibleSubscriptions));
  const tokenCalls = sum(
    Object.entries(sandbox.identity)
      .filter(([k]) => k.startsWith('token'))
      .map(([, v]) => v),
  );
  const ideal = (calls.total * latencyMs) / 1000 / (concurrency * m.workers);
  const efficiency = run.wallSeconds / ideal;
  const cpuShare = (run.cpuSeconds + sandbox.cpuSeconds) / (run.wallSeconds * cpus().length);
  const statuses = Object.entries(calls.byStatus)
    .sort()
    .map(([status, n]) => `${status}: ${int(n)}`)
    .join(', ');
  const rows: [string, string][] = [
    [
      'associations checked',
      `${int(run.total)} (${int(reachedArm.length)} reach ARM; the rest fail at the token step by design)`,
    ],
    ['wall time', `${run.wallSeconds.toFixed(2)} s`],
    ['ARM calls answered', `${int(calls.total)} (${statuses})`],
    [
      '  by operation',
      Object.entries(calls.byOperation)
        .map(([op, n]) => `${op} ${int(n)}`)
        .join(', '),
    ],
    [
      '  expected without retries',
      `${int(expectedCalls + roleDefinitionCalls)} (Σ 2 + visible subscriptions, + role definitions)`,
    ],
    [
      'token requests (identity)',
      `${int(tokenCalls)} (${Object.entries(sandbox.identity)
        .map(([k, v]) => `${k}: ${int(v)}`)
        .join(', ')}); no simulated latency`,
    ],
    [
      'ideal bound',
      `${ideal.toFixed(2)} s = ${int(calls.total)} ARM calls × ${latencyMs} ms ÷ ${concurrency}${m.workers > 1 ? ` ÷ ${m.workers} processes` : ''}`,
    ],
    [
      'efficiency',
      `${efficiency.toFixed(3)}× the ideal bound${faulty ? ' (no target here: the Retry-After waits are not in the bound)' : ''}`,
    ],
    [
      'ARM calls per association',
      `max ${perAssociationMax}, mean ${(sum(perAssociation) / Math.max(1, perAssociation.length)).toFixed(2)} (role definitions excluded: ${int(roleDefinitionCalls)} in the run)`,
    ],
    [
      'service peak RSS',
      `${run.peakRssMb.toFixed(0)} MB (${run.startRssMb.toFixed(0)} MB at the start of the run; sampled peaks: ` +
        `V8 heap used ${run.sampled.heapUsedMb.toFixed(0)} MB of ${run.sampled.heapTotalMb.toFixed(0)} MB, external ${run.sampled.externalMb.toFixed(0)} MB)`,
    ],
    [
      '  V8 spaces (peak MB)',
      Object.entries(run.spacesMb)
        .filter(([, mb]) => mb >= 1)
        .map(([space, mb]) => `${space.replace(/_space$/, '')} ${mb.toFixed(0)}`)
        .join(', '),
    ],
    [
      'CPU',
      `service ${run.cpuSeconds.toFixed(1)} s, sandbox ${sandbox.cpuSeconds.toFixed(1)} s = ${(cpuShare * 100).toFixed(0)} % of ${cpus().length} CPUs over the run` +
        (m.otherCpuSeconds === undefined
          ? ''
          : `; other processes and the run's start-up ${m.otherCpuSeconds.toFixed(1)} s`),
    ],
    ['sandbox peak RSS', `${sandbox.peakRssMb.toFixed(0)} MB (its own process, not the service's)`],
    [
      'time per call (service side)',
      Object.entries(run.phases)
        .filter(([, p]) => p.calls > 0)
        .map(([name, p]) => `${name.replace(/^(identity|arm)\./, '')} ${(p.ms / p.calls).toFixed(1)} ms`)
        .join(', '),
    ],
    [
      'service event-loop delay',
      `mean ${run.eventLoopDelayMs.mean.toFixed(1)} ms, p99 ${run.eventLoopDelayMs.p99.toFixed(1)} ms, max ${run.eventLoopDelayMs.max.toFixed(0)} ms`,
    ],
    ['connections', `service opened ${int(run.connections)}, sandbox accepted ${int(sandbox.connections)}`],
    [
      'verdicts',
      Object.entries(m.verdicts.byVerdict)
        .sort()
        .map(([v, n]) => `${v} ${int(n)}`)
        .join(', '),
    ],
    [
      'wrong verdicts',
      `${m.verdicts.wrong}${m.verdicts.examples.length ? ` — ${m.verdicts.examples.join('; ')}` : ''}`,
    ],
    [
      'check_failed',
      `${m.verdicts.checkFailed} (${m.verdicts.staleKept} kept the previous verdict, marked stale)`,
    ],
  ];
  console.log(`\n${m.label}`);
  if (m.otherCpuSeconds !== undefined && m.otherCpuSeconds > 0.05 * run.wallSeconds * cpus().length + 2) {
    console.log(
      `  WARNING: other processes used ${m.otherCpuSeconds.toFixed(0)} CPU-seconds during this run: the machine was not quiet, the wall time is inflated`,
    );
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  return { efficiency, perAssociationMax };
}

/** Role definitions read per tenant per GUID, against the custom roles the seeded assignments use. */
function roleDefinitionTarget(calls: ArmCallSnapshot, seeded: SeededWorld) {
  const fetched = calls.roleDefinitionFetches;
  const counts = Object.values(fetched).flatMap((byId) => Object.values(byId));
  const expected = Object.entries(seeded.customRoles).flatMap(([tenant, ids]) =>
    ids.map((id) => fetched[tenant.toLowerCase()]?.[id.toLowerCase()] ?? 0),
  );
  return {
    distinct: counts.length,
    max: Math.max(0, ...counts),
    missing: expected.filter((n) => n === 0).length,
    ok: counts.every((n) => n === 1) && expected.every((n) => n === 1),
  };
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`bench:health: stopped after ${timeoutMs / 1000} s (raise --timeout)`);
    killChildren();
    process.exit(1);
  }, timeoutMs);
  deadline.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killChildren();
      process.exit(130);
    });
  }

  console.log(
    `bench:health — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB; the sandbox and the service share these CPUs.`,
  );
  console.log(
    `${int(associations)} associations (${int(consultants)} consultants × ${tenants} tenants) × ${subscriptions} subscriptions, ` +
      `${latencyMs} ms per Resource Manager call, concurrency ${concurrency}${args['healthy-only'] ? ', all healthy' : ', a mix of verdicts'}`,
  );
  console.log(`service process flags: ${args['node-flags'].trim() || '(none: Node defaults)'}`);

  const dir = mkdtempSync(join(tmpdir(), 'pal-bench-health-'));
  const dbFile = join(dir, 'pal.db');
  const pgSchema = args['database-url'] ? `bench_${randomBytes(4).toString('hex')}` : undefined;
  const databaseUrl = pgSchema ? withSchema(args['database-url'], pgSchema) : `sqlite:${dbFile}`;
  let sandbox: SandboxProcess<Ready> | undefined;
  try {
    const started = performance.now();
    sandbox = await startSandboxProcess<Ready>(
      [
        '--consultants',
        String(consultants),
        '--tenants',
        String(tenants),
        '--subscriptions',
        String(subscriptions),
        ...(args['healthy-only'] ? ['--healthy-only'] : []),
      ],
      60_000,
      args['sandbox-node-flags'].split(/\s+/).filter(Boolean),
    );
    const info: SandboxInfo = {
      url: sandbox.ready.url,
      caPem: sandbox.ready.caPem,
      clientSecret: sandbox.ready.clientSecret,
    };
    trustCertificateAuthority(info.caPem);
    await sandboxControl(sandbox.ready, 'PATCH', '/knobs', {
      latencyMs: 0,
      throttleRate: 0,
      serverErrorRate: 0,
    });

    // Setup (not measured): rows in the database and one real MSAL sign-in per consultant.
    const plan = newSignInPlan(BENCH_PUBLIC_BASE_URL);
    const codes = await sandbox.command<{ userId: string; code: string }[]>('codes', { plan });
    const setupInput: SetupInput = {
      sandbox: info,
      databaseUrl,
      dataDir: dir,
      seeded: sandbox.ready.seeded,
      codes,
      plan,
      concurrency: 16,
    };
    const setup = await runJsonChild<{ seconds: number; failed: number; failures: string[] }>(
      './health-setup.ts',
      setupInput,
      timeoutMs,
    );
    if (setup.failed > 0)
      throw new Error(`setup: ${setup.failed} sign-ins failed: ${setup.failures.join('; ')}`);
    await sandbox.command('userScenarios');
    console.log(
      `setup (not measured): ${((performance.now() - started) / 1000).toFixed(1)} s — world seeded, ` +
        `${int(consultants)} consultants signed in through MSAL in ${setup.seconds.toFixed(1)} s`,
    );

    const input: RunInput = { sandbox: info, databaseUrl, dataDir: dir, concurrency };
    const seed = Number(args.seed);
    const clean = await measure(`Run 1 — ${latencyMs} ms per ARM call, no faults`, sandbox, input, {
      latencyMs,
      throttleRate: 0,
      serverErrorRate: 0,
      seed,
    });
    const cleanFigures = report(clean, sandbox.ready.seeded, false);
    const roles = roleDefinitionTarget(clean.calls, sandbox.ready.seeded);

    // Run 1 again with more service processes: how the same run scales out.
    const scaling: { workers: number; wallSeconds: number; efficiency: number; wrong: number }[] = [
      {
        workers: 1,
        wallSeconds: clean.run.wallSeconds,
        efficiency: cleanFigures.efficiency,
        wrong: clean.verdicts.wrong,
      },
    ];
    for (const workers of workerCounts.filter((n) => n > 1)) {
      const scaled = await measure(
        `Run 1 with ${workers} service processes — ${latencyMs} ms per ARM call, no faults`,
        sandbox,
        input,
        { latencyMs, throttleRate: 0, serverErrorRate: 0, seed },
        workers,
      );
      const figures = report(scaled, sandbox.ready.seeded, false);
      scaling.push({
        workers,
        wallSeconds: scaled.run.wallSeconds,
        efficiency: figures.efficiency,
        wrong: scaled.verdicts.wrong,
      });
    }

    let faults: Measured | undefined;
    if (!args['skip-faults']) {
      faults = await measure(
        `Run 2 — ${latencyMs} ms, ${Number(args['throttle-rate']) * 100} % 429 and ${Number(args['server-error-rate']) * 100} % 503 (Retry-After: ${args['retry-after']} s)`,
        sandbox,
        input,
        {
          latencyMs,
          throttleRate: Number(args['throttle-rate']),
          serverErrorRate: Number(args['server-error-rate']),
          serverErrorStatus: 503,
          retryAfterSeconds: Number(args['retry-after']),
          seed,
        },
      );
      report(faults, sandbox.ready.seeded, true);
    }

    // One table: what was measured, against which target, PASS or MISS.
    const rows: [string, string, string, string][] = [];
    const row = (what: string, value: string, target: string, ok: boolean) =>
      rows.push([what, value, target, verdict(ok)]);
    const roleValue = (r: ReturnType<typeof roleDefinitionTarget>) =>
      r.distinct === 0
        ? 'none fetched (only built-in roles held)'
        : `${r.distinct} (tenant, ID) pairs, max ${r.max} each`;
    row(
      'run 1: wall time ÷ ideal bound',
      `${cleanFigures.efficiency.toFixed(3)}× (${clean.run.wallSeconds.toFixed(1)} s)`,
      `≤ ${TARGETS.efficiency}×`,
      cleanFigures.efficiency <= TARGETS.efficiency,
    );
    row(
      'run 1: ARM calls per association',
      `max ${cleanFigures.perAssociationMax}`,
      `≤ 2 + ${subscriptions} = ${2 + subscriptions}`,
      cleanFigures.perAssociationMax <= 2 + subscriptions,
    );
    row('run 1: role-definition fetches', roleValue(roles), 'once per ID per tenant', roles.ok);
    row(
      'run 1: service peak RSS',
      `${clean.run.peakRssMb.toFixed(0)} MB`,
      `≤ ${TARGETS.rssMb} MB`,
      clean.run.peakRssMb <= TARGETS.rssMb,
    );
    row('run 1: wrong verdicts', String(clean.verdicts.wrong), '0', clean.verdicts.wrong === 0);
    if (faults) {
      const faultRoles = roleDefinitionTarget(faults.calls, sandbox.ready.seeded);
      row('run 2 (faults): wrong verdicts', String(faults.verdicts.wrong), '0', faults.verdicts.wrong === 0);
      row(
        'run 2 (faults): role-definition fetches',
        roleValue(faultRoles),
        'once per ID per tenant',
        faultRoles.ok,
      );
      row(
        'run 2 (faults): service peak RSS',
        `${faults.run.peakRssMb.toFixed(0)} MB`,
        `≤ ${TARGETS.rssMb} MB`,
        faults.run.peakRssMb <= TARGETS.rssMb,
      );
    }
    if (scaling.length > 1) {
      console.log(
        `\nScaling out (run 1, ${databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}, concurrency ${concurrency} per process):`,
      );
      for (const s of scaling) {
        console.log(
          `  ${s.workers} process(es): ${s.wallSeconds.toFixed(1)} s, ${(scaling[0]!.wallSeconds / s.wallSeconds).toFixed(2)}× the speed of one, ` +
            `${s.efficiency.toFixed(3)}× its ideal bound, ${s.wrong} wrong verdicts`,
        );
      }
    }
    console.log('\nTargets (DESIGN §10):');
    const header: [string, string, string, string] = ['', 'measured', 'target', ''];
    const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
    const format = (r: [string, string, string, string]) =>
      `  ${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padEnd(widths[2]!)}  ${r[3]}`;
    console.log(format(header).trimEnd());
    for (const r of rows) console.log(format(r));
  } finally {
    await sandbox?.stop();
    if (args.keep) console.log(`\nkept ${pgSchema ? `schema ${pgSchema}` : dbFile}`);
    else {
      rmSync(dir, { recursive: true, force: true });
      if (pgSchema) await dropSchema(args['database-url'], pgSchema);
    }
    clearTimeout(deadline);
  }
}

try {
  await main();
} catch (error) {
  console.error(`\nbench:health failed: ${(error as Error).stack ?? error}`);
  killChildren();
  process.exitCode = 1;
}
