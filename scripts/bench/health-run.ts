/**
 * One measured health-check run of `npm run bench:health`, in a fresh process so its peak RSS is the
 * service's own: builds the service's deps against the sandbox, starts a run with `startHealthRun`
 * (the same entry point as the schedule, the API and the CLI) and waits for it to finish. Reads its
 * input as one JSON document on stdin and prints the figures as one JSON line on stdout.
 */
import { subscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { getHeapSpaceStatistics } from 'node:v8';
import { closeDeps } from '../../src/deps.ts';
import { startHealthRun, waitForRun } from '../../src/health/index.ts';
import { peakRss } from './health-memory.ts';
import { buildBenchDeps, type SandboxInfo } from './health-service.ts';

export interface RunInput {
  sandbox: SandboxInfo;
  /** `sqlite:<file>` or a postgres:// URL with `?schema=`. */
  databaseUrl: string;
  dataDir: string;
  concurrency: number;
}

/** Where an association's time goes: total milliseconds spent in each port's calls, and how many. */
export type PhaseTimes = Record<string, { calls: number; ms: number }>;

export interface RunResult {
  runId: string;
  wallSeconds: number;
  total: number;
  counts: Record<string, number>;
  transitions: number;
  peakRssMb: number;
  /** RSS when the run started: Node, the modules, the deps. */
  startRssMb: number;
  cpuSeconds: number;
  /** TCP connections this process opened during the run (keep-alive keeps this small). */
  connections: number;
  /** Highest values sampled every 250 ms: what the RSS is made of. */
  sampled: { heapUsedMb: number; heapTotalMb: number; externalMb: number; rssMb: number };
  /** Peak committed size of each V8 heap space, MB. */
  spacesMb: Record<string, number>;
  /** How late a 10 ms timer fired: synchronous work (SQLite, crypto, parsing) delays every call in flight. */
  eventLoopDelayMs: { mean: number; p99: number; max: number };
  phases: PhaseTimes;
}

const input = JSON.parse(await text(process.stdin)) as RunInput;
const deps = await buildBenchDeps(input);

// Time every call through the two ports (a wrapper per method; the adapters themselves are untouched).
const phases: PhaseTimes = {};
const timed = <T extends object>(port: T, prefix: string): T => {
  for (const [name, method] of Object.entries(port)) {
    if (typeof method !== 'function') continue;
    (port as Record<string, unknown>)[name] = async (...callArgs: unknown[]) => {
      const started = performance.now();
      try {
        return await method.apply(port, callArgs);
      } finally {
        const key = `${prefix}.${name}`;
        const phase = phases[key] ?? { calls: 0, ms: 0 };
        phases[key] = phase;
        phase.calls += 1;
        phase.ms += performance.now() - started;
      }
    };
  }
  return port;
};
timed(deps.azure.identity, 'identity');
timed(deps.azure.arm, 'arm');
let connections = 0;
subscribe('net.client.socket', () => {
  connections += 1;
});

const sampled = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, rssMb: 0 };
const sample = () => {
  const m = process.memoryUsage();
  sampled.heapUsedMb = Math.max(sampled.heapUsedMb, m.heapUsed / 2 ** 20);
  sampled.heapTotalMb = Math.max(sampled.heapTotalMb, m.heapTotal / 2 ** 20);
  sampled.externalMb = Math.max(sampled.externalMb, m.external / 2 ** 20);
  sampled.rssMb = Math.max(sampled.rssMb, m.rss / 2 ** 20);
};
const spacesMb: Record<string, number> = {};
const sampleSpaces = () => {
  for (const space of getHeapSpaceStatistics()) {
    const mb = space.space_size / 2 ** 20;
    spacesMb[space.space_name] = Math.max(spacesMb[space.space_name] ?? 0, mb);
  }
};
const sampler = setInterval(() => {
  sample();
  sampleSpaces();
}, 250);

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

const startRssMb = process.memoryUsage.rss() / 2 ** 20;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const handle = await startHealthRun(deps, { trigger: 'cli' });
const report = await waitForRun(deps, handle.runId);
const wallSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const peakRssMb = peakRss();
clearInterval(sampler);
sample();
delay.disable();
if (!handle.started || !report) throw new Error('the run did not start or did not finish');

const result: RunResult = {
  runId: report.runId,
  wallSeconds,
  total: report.total,
  counts: report.counts,
  transitions: report.transitions.length,
  peakRssMb,
  startRssMb,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  connections,
  sampled,
  spacesMb,
  phases,
  // The histogram records the interval of a 10 ms timer: the delay is what exceeds the 10 ms.
  eventLoopDelayMs: {
    mean: Math.max(0, delay.mean / 1e6 - 10),
    p99: Math.max(0, delay.percentile(99) / 1e6 - 10),
    max: Math.max(0, delay.max / 1e6 - 10),
  },
};
await closeDeps(deps);
// Keep-alive sockets to the sandbox would hold the process open: leave once the line is out.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
