/**
 * `npm run bench:send` (DESIGN §10): bulk invitation sending against a local SMTP sink, side by side
 * with (a) a bare pooled nodemailer loop and (b) a naive one-connection-per-message sender, then a
 * memory run at a larger count. Every contender runs in a fresh process against a fresh sink, so
 * peak RSS is its own. A benchmark, not a test: it exits 0 on a missed target (1 only if a run broke).
 *
 *   npm run bench:send -- [--count 10000] [--memory-count 50000] [--naive-sample 1000] [--skip-naive]
 *                         [--skip-memory-baseline] [--no-greeting-pause] [--node-flags "…"] [--timeout 600]
 *                         [--database-url postgres://… --workers 1,2] [--smtp-delay-ms 0]
 *
 * --database-url runs ours on PostgreSQL (a fresh schema per run, dropped after); --workers lists the
 * numbers of sender processes to measure ours with (each list entry is one row; more than one sender
 * needs PostgreSQL). --smtp-delay-ms makes the sink hold each 250 reply that long, like a remote relay:
 * then connections, not CPUs, limit the rate, and a second sender process brings its own.
 * --naive-sample 0 sends all N naively. --no-greeting-pause removes smtp-server's fixed 100 ms pause
 * before each greeting (see smtp-sink.ts). --node-flags go to every contender's process alike.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SERVICE_NODE_FLAGS } from '../runtime-flags.mjs';
import type { ContenderKind, ContenderResult } from './contenders.ts';
import { type RunOptions, runContender, type SinkStats, startSink } from './processes.ts';

const TARGETS = { vsBaseline: 0.7, vsNaive: 5, rssMb: 256, rssGrowth: 1.5 };
const LABELS: Record<ContenderKind, string> = {
  baseline: '(a) pooled nodemailer, pre-rendered',
  naive: '(b) naive, a connection per message',
  ours: '(c) ours: createBatch + outbox sender',
};

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    'memory-count': { type: 'string', default: '50000' },
    'naive-sample': { type: 'string', default: '1000' },
    'skip-naive': { type: 'boolean', default: false },
    'skip-memory-baseline': { type: 'boolean', default: false },
    'no-greeting-pause': { type: 'boolean', default: false },
    /** The service's runtime flags by default (as `npm start` runs it); `--node-flags=` for Node's defaults. */
    'node-flags': { type: 'string', default: SERVICE_NODE_FLAGS.join(' ') },
    timeout: { type: 'string', default: '600' },
    'database-url': { type: 'string', default: '' },
    workers: { type: 'string', default: '1' },
    'smtp-delay-ms': { type: 'string', default: '0' },
  },
});
const acceptDelayMs = Number(args['smtp-delay-ms']);
const workerCounts = args.workers.split(',').map(Number);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--workers: e.g. 1 or 1,2');
if (workerCounts.some((n) => n > 1) && !args['database-url'].startsWith('postgres'))
  throw new Error('--workers above 1 needs --database-url postgres://… (instances share PostgreSQL)');
const count = Number(args.count);
const memoryCount = Number(args['memory-count']);
const naiveSample = Number(args['naive-sample']);
const greetingPause = !args['no-greeting-pause'];
const run: RunOptions = {
  timeoutMs: Number(args.timeout) * 1000,
  nodeFlags: args['node-flags'].split(/\s+/).filter(Boolean),
};

interface Row extends ContenderResult {
  label: string;
  rate: number;
  connections: number;
  note?: string;
}

let broken = false;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

/** A fresh schema per run of ours on PostgreSQL, dropped after it (with pg-boss's beside it). */
async function withDatabase<T>(work: (databaseUrl: string | undefined) => Promise<T>): Promise<T> {
  if (!args['database-url']) return work(undefined);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(args['database-url']);
  url.searchParams.set('schema', schema);
  try {
    return await work(url.toString());
  } finally {
    const client = new pg.Client({ connectionString: args['database-url'] });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`drop schema if exists "${schema}_jobs" cascade`);
    await client.end();
  }
}

/** One contender against its own sink; checks that the sink received exactly what was reported sent. */
async function measure(kind: ContenderKind, n: number, workers = 1): Promise<Row | undefined> {
  const sink = await startSink({ greetingPause, acceptDelayMs });
  try {
    const result = await withDatabase((databaseUrl) =>
      runContender(kind, sink.port, n, { ...run, ...(kind === 'ours' ? { databaseUrl, workers } : {}) }),
    );
    const stats = await sink.stats();
    const problem = check(kind, n, result, stats);
    if (problem) throw new Error(problem);
    return {
      ...result,
      label: LABELS[kind],
      rate: result.messages / result.seconds,
      connections: stats.connections,
    };
  } catch (error) {
    broken = true;
    console.error(`  ${LABELS[kind]}: FAILED — ${(error as Error).message}`);
    return undefined;
  } finally {
    await sink.stop();
  }
}

function check(
  kind: ContenderKind,
  n: number,
  result: ContenderResult,
  stats: SinkStats,
): string | undefined {
  if (result.messages !== n || stats.messages !== n) {
    return `${n} expected, ${result.messages} reported sent, ${stats.messages} received`;
  }
  // Our messages each carry their own invitation link; the baselines send one pre-rendered link.
  if (kind === 'ours' && (stats.distinctLinks !== n || stats.withoutLink > 0)) {
    return `${n} distinct links expected, the sink saw ${stats.distinctLinks} (${stats.withoutLink} without)`;
  }
  return undefined;
}

function table(rows: Row[]): void {
  const header = ['contender', 'messages', 'seconds', 'emails/s', 'peak RSS MB', 'CPU s', 'connections'];
  const body = rows.map((r) => [
    r.label,
    int(r.messages),
    r.seconds.toFixed(2),
    int(r.rate),
    r.peakRssMb.toFixed(0),
    r.cpuSeconds.toFixed(1),
    int(r.connections),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  console.log(format(header));
  for (const line of body) console.log(format(line));
  for (const r of rows) if (r.note) console.log(`  ${r.label}: ${r.note}`);
}

/** Ours, with the split between issuing the batch and sending it. */
async function measureOurs(n: number, workers = 1): Promise<Row | undefined> {
  const row = await measure('ours', n, workers);
  if (row) {
    const { issueSeconds = 0, sendSeconds = 0, senders = 1, smallestShare = n } = row.detail ?? {};
    if (workers > 1) row.label = `${row.label}, ${workers} sender processes`;
    row.note = `issuing + queueing ${issueSeconds.toFixed(2)} s, sending ${sendSeconds.toFixed(2)} s`;
    if (workers > 1) row.note += `; ${senders} senders sent, the smallest share ${int(smallestShare)}`;
  }
  return row;
}

function line(what: string, value: string, target: string, ok: boolean): void {
  console.log(`  ${what} = ${value}  (target ${target})  ${verdict(ok)}`);
}

console.log(
  `bench:send — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB; the sink and the sender share these CPUs.`,
);
console.log(
  `SMTP sink: smtp-server ${greetingPause ? 'as shipped (100 ms pause before each greeting)' : 'without its greeting pause'}` +
    `; contender flags: ${run.nodeFlags.join(' ') || 'none'}` +
    `; ours on ${args['database-url'] ? 'PostgreSQL' : 'SQLite'}` +
    (acceptDelayMs > 0 ? `; the sink holds each 250 reply ${acceptDelayMs} ms (a remote relay)` : ''),
);

console.log(`\nThroughput, ${int(count)} invitations:`);
const baseline = await measure('baseline', count);
let naive: Row | undefined;
if (!args['skip-naive']) {
  const n = naiveSample > 0 ? Math.min(count, naiveSample) : count;
  naive = await measure('naive', n);
  if (naive && n < count) {
    naive.note = `measured on a sample of ${int(n)}; its rate stands for all ${int(count)}`;
  }
}
const oursRows: Row[] = [];
for (const workers of workerCounts) {
  const row = await measureOurs(count, workers);
  if (row) oursRows.push(row);
}
const ours = oursRows[0];
table([baseline, naive, ...oursRows].filter((row) => row !== undefined));
if (oursRows.length > 1 && ours) {
  for (const row of oursRows.slice(1))
    console.log(
      `  scaling: ${row.label} sends ${(row.rate / ours.rate).toFixed(2)}× the rate of the first row of ours`,
    );
}

console.log('\nTargets (DESIGN §10):');
if (ours && baseline) {
  const ratio = ours.rate / baseline.rate;
  line('ours / (a)', `${ratio.toFixed(2)}×`, `≥ ${TARGETS.vsBaseline}×`, ratio >= TARGETS.vsBaseline);
}
if (ours && naive) {
  const ratio = ours.rate / naive.rate;
  line('ours / (b)', `${ratio.toFixed(1)}×`, `≥ ${TARGETS.vsNaive}×`, ratio >= TARGETS.vsNaive);
}
if (ours) {
  const rss = ours.peakRssMb;
  line(`peak RSS at ${int(count)}`, `${rss.toFixed(0)} MB`, `≤ ${TARGETS.rssMb} MB`, rss <= TARGETS.rssMb);
}

if (memoryCount > 0) {
  console.log(`\nMemory, ${int(memoryCount)} invitations:`);
  const memoryBaseline = args['skip-memory-baseline'] ? undefined : await measure('baseline', memoryCount);
  const big = await measureOurs(memoryCount);
  table([memoryBaseline, big].filter((row) => row !== undefined));
  if (big) {
    const limit = TARGETS.rssMb * TARGETS.rssGrowth;
    const rss = big.peakRssMb;
    line(`peak RSS at ${int(memoryCount)}`, `${rss.toFixed(0)} MB`, `≤ ${limit} MB`, rss <= limit);
    if (ours) console.log(`  growth from ${int(count)}: ${(rss / ours.peakRssMb).toFixed(2)}×`);
  }
}
if (broken) {
  console.error('\nAt least one run failed (see above): its figures are missing.');
  process.exitCode = 1;
}
