/**
 * `npm run bench:send` (DESIGN §10): bulk invitation sending against a local SMTP sink, side by side
 * with (a) a bare pooled nodemailer loop and (b) a naive one-connection-per-message sender, then a
 * memory run at a larger count. Every contender runs in a fresh process against a fresh sink, so
 * peak RSS is its own. A benchmark, not a test: it exits 0 on a missed target (1 only if a run broke).
 *
 *   npm run bench:send -- [--count 10000] [--memory-count 50000] [--naive-sample 1000]
 *                         [--skip-naive] [--skip-memory-baseline] [--timeout 600]
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { ContenderKind, ContenderResult } from './contenders.ts';
import { runContender, type SinkStats, startSink } from './processes.ts';

const TARGETS = { vsBaseline: 0.7, vsNaive: 5, rssMb: 256, rssGrowth: 1.5 };

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    'memory-count': { type: 'string', default: '50000' },
    'naive-sample': { type: 'string', default: '1000' },
    'skip-naive': { type: 'boolean', default: false },
    'skip-memory-baseline': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
  },
});
const count = Number(args.count);
const memoryCount = Number(args['memory-count']);
const naiveSample = Number(args['naive-sample']);
const timeoutMs = Number(args.timeout) * 1000;

interface Row extends ContenderResult {
  label: string;
  rate: number;
  note?: string;
}

let broken = false;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** One contender against its own sink; checks that the sink received exactly what was reported sent. */
async function measure(kind: ContenderKind, label: string, n: number): Promise<Row | undefined> {
  const sink = await startSink();
  try {
    const result = await runContender(kind, sink.port, n, timeoutMs);
    const stats = await sink.stats();
    const problem = check(kind, n, result, stats);
    if (problem) throw new Error(`${label}: ${problem}`);
    return { ...result, label, rate: result.messages / result.seconds };
  } catch (error) {
    broken = true;
    console.error(`  ${label}: FAILED — ${(error as Error).message}`);
    return undefined;
  } finally {
    await sink.stop();
  }
}

function check(kind: ContenderKind, n: number, result: ContenderResult, stats: SinkStats): string | undefined {
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
  const header = ['contender', 'messages', 'seconds', 'emails/s', 'peak RSS MB', 'CPU s'];
  const body = rows.map((r) => [
    r.label,
    int(r.messages),
    r.seconds.toFixed(2),
    int(r.rate),
    r.peakRssMb.toFixed(0),
    r.cpuSeconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  console.log(format(header));
  for (const line of body) console.log(format(line));
  for (const r of rows) if (r.note) console.log(`  note: ${r.label}: ${r.note}`);
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  console.log(
    `bench:send — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB; the sink and the sender share these CPUs.`,
  );
  console.log(`\nThroughput, ${int(count)} invitations:`);
  const rows: Row[] = [];
  const baseline = await measure('baseline', '(a) pooled nodemailer, pre-rendered', count);
  if (baseline) rows.push(baseline);
  let naive: Row | undefined;
  if (!args['skip-naive']) {
    const n = naiveSample > 0 ? Math.min(count, naiveSample) : count;
    naive = await measure('naive', '(b) naive, a connection per message', n);
    if (naive) {
      if (n < count) naive.note = `measured on a sample of ${int(n)} and the rate extrapolated to ${int(count)}`;
      rows.push(naive);
    }
  }
  const ours = await measure('ours', '(c) ours: createBatch + outbox sender', count);
  if (ours) {
    const { issueSeconds = 0, sendSeconds = 0 } = ours.detail ?? {};
    ours.note = `issuing + queueing ${issueSeconds.toFixed(2)} s, sending ${sendSeconds.toFixed(2)} s`;
    rows.push(ours);
  }
  table(rows);

  console.log('\nTargets (DESIGN §10):');
  if (ours && baseline) {
    const ratio = ours.rate / baseline.rate;
    console.log(`  ours / (a) = ${ratio.toFixed(2)}×  (target ≥ ${TARGETS.vsBaseline}×)  ${verdict(ratio >= TARGETS.vsBaseline)}`);
  }
  if (ours && naive) {
    const ratio = ours.rate / naive.rate;
    console.log(`  ours / (b) = ${ratio.toFixed(1)}×  (target ≥ ${TARGETS.vsNaive}×)  ${verdict(ratio >= TARGETS.vsNaive)}`);
  }
  if (ours) {
    console.log(
      `  peak RSS at ${int(count)} = ${ours.peakRssMb.toFixed(0)} MB  (target ≤ ${TARGETS.rssMb} MB)  ${verdict(ours.peakRssMb <= TARGETS.rssMb)}`,
    );
  }

  if (memoryCount > 0) {
    console.log(`\nMemory, ${int(memoryCount)} invitations:`);
    const memoryRows: Row[] = [];
    if (!args['skip-memory-baseline']) {
      const row = await measure('baseline', '(a) pooled nodemailer, pre-rendered', memoryCount);
      if (row) memoryRows.push(row);
    }
    const big = await measure('ours', '(c) ours: createBatch + outbox sender', memoryCount);
    if (big) {
      const { issueSeconds = 0, sendSeconds = 0 } = big.detail ?? {};
      big.note = `issuing + queueing ${issueSeconds.toFixed(2)} s, sending ${sendSeconds.toFixed(2)} s`;
      memoryRows.push(big);
    }
    table(memoryRows);
    if (big) {
      const limit = TARGETS.rssMb * TARGETS.rssGrowth;
      console.log(
        `  peak RSS at ${int(memoryCount)} = ${big.peakRssMb.toFixed(0)} MB  (target ≤ ${limit} MB)  ${verdict(big.peakRssMb <= limit)}`,
      );
    }
  }
  if (broken) {
    console.error('\nAt least one run failed (see above): its figures are missing.');
    process.exitCode = 1;
  }
}

await main();
