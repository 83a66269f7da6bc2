/**
 * `npm run reliability`: the fault scenarios of issue 9 at meaningful sizes, plus the hostile-input
 * suite's figures, in one table — and the figures section of docs/reliability.md rewritten from it.
 *
 *   npm run reliability [-- --quick] [-- --no-write] [-- --timeout 1800]
 *
 * --quick runs small sizes (what CI runs); --no-write prints without touching docs/reliability.md.
 * Exits 1 when a figure that must be 0 is not (wrong verdicts, lost messages, 5xx).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { killChildren } from './bench/health-processes.ts';
import { type CheckOutcome, prepareCheckWorld, runCheckScenario } from './reliability/check-run.ts';
import { runSendScenario, type SendOutcome } from './reliability/send-run.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1800' },
  },
});
const quick = args.quick;
const SIZE = quick
  ? { consultants: 40, tenants: 2, send: 300, killSend: 400 }
  : { consultants: 200, tenants: 4, send: 3000, killSend: 3000 };
const DOC = new URL('../docs/reliability.md', import.meta.url);

interface Row {
  scenario: string;
  size: string;
  faults: number;
  faultDetail: string;
  wrong: number | '—';
  lost: number | '—';
  duplicates: number | '—';
  fiveHundreds: number | '—';
  seconds: number;
}
const rows: Row[] = [];
const int = (n: number) => n.toLocaleString('en-US');

function checkRow(scenario: string, outcome: CheckOutcome): Row {
  const f = outcome.faults;
  return {
    scenario,
    size: `${int(outcome.associations)} associations, ${int(outcome.calls.total)} ARM calls`,
    faults: f.throttled + f.serverErrors + f.noAnswer + (outcome.killed ? 1 : 0),
    faultDetail:
      `${int(f.throttled)} × 429, ${int(f.serverErrors)} × 500/503, ${int(f.noAnswer)} reset/unanswered` +
      (outcome.killed ? `, SIGKILL after ${outcome.killed.atVerdicts} verdicts` : '') +
      `; check_failed ${outcome.verdicts.checkFailed}`,
    wrong: outcome.verdicts.wrong,
    lost: '—',
    duplicates: '—',
    fiveHundreds: '—',
    seconds: outcome.seconds,
  };
}

function sendRow(scenario: string, outcome: SendOutcome): Row {
  const f = outcome.faults;
  const injected = f.tempRefusals + f.dropsBeforeReply + f.dropsAfterAccept + f.stalls + f.permanentRefusals;
  return {
    scenario,
    size: `${int(outcome.messages)} messages, ${int(outcome.attempts.total)} attempts`,
    faults: injected + (outcome.killed ? 1 : 0),
    faultDetail:
      `${f.permanentRefusals} × 550/554, ${f.tempRefusals} × 451, ${f.dropsBeforeReply} dropped before the reply, ` +
      `${f.dropsAfterAccept} dropped after accepting, ${f.stalls} silent until timeout` +
      (outcome.killed ? `, SIGKILL after ${outcome.killed.atReceived} delivered` : '') +
      `; end states ${JSON.stringify(outcome.states)}`,
    wrong: outcome.wronglyFailed + outcome.sentButMissing,
    lost: outcome.lost,
    duplicates: outcome.duplicates,
    fiveHundreds: '—',
    seconds: outcome.seconds,
  };
}

/** The hostile-input suite (and the SQLite-busy test), run as tests; their JSON read back. */
function hostileInput(): Row {
  const started = performance.now();
  execFileSync(
    process.execPath,
    [...process.execArgv, 'node_modules/vitest/vitest.mjs', 'run', 'tests/hardening/hostile-input.test.ts'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const figures = JSON.parse(readFileSync('test-results/hardening-input.json', 'utf8')) as {
    totals: { tried: number; status4xx: number; status2xx3xx: number; status5xx: number };
    categories: Record<string, unknown>;
  };
  return {
    scenario: 'hostile input (tests/hardening)',
    size: `${int(figures.totals.tried)} inputs in ${Object.keys(figures.categories).length} categories`,
    faults: figures.totals.tried,
    faultDetail: `${int(figures.totals.status4xx)} × 4xx, ${int(figures.totals.status2xx3xx)} × 2xx/3xx (harmless once escaped)`,
    wrong: '—',
    lost: '—',
    duplicates: '—',
    fiveHundreds: figures.totals.status5xx,
    seconds: (performance.now() - started) / 1000,
  };
}

function sqliteBusy(): Row {
  const started = performance.now();
  execFileSync(
    process.execPath,
    [...process.execArgv, 'node_modules/vitest/vitest.mjs', 'run', 'tests/faults/sqlite-busy.test.ts'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    scenario: 'SQLite write lock held by another process',
    size: '1.5 s lock (waited out), 6.5 s lock (past busy_timeout)',
    faults: 2,
    faultDetail:
      'writes during the short lock: 201 after the wait; during the long one: 503 + Retry-After, 201 after',
    wrong: '—',
    lost: '—',
    duplicates: '—',
    fiveHundreds: 0,
    seconds: (performance.now() - started) / 1000,
  };
}

function table(): string {
  const header = ['scenario', 'size', 'faults injected', 'wrong', 'lost', 'duplicates', '5xx', 'seconds'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.size} | ${int(r.faults)} (${r.faultDetail}) | ${r.wrong} | ${r.lost} | ${r.duplicates} | ${r.fiveHundreds} | ${r.seconds.toFixed(1)} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  const timeoutMs = Number(args.timeout) * 1000;
  const deadline = setTimeout(() => {
    console.error(`reliability: stopped after ${args.timeout} s`);
    killChildren();
    process.exit(1);
  }, timeoutMs);
  deadline.unref();
  const started = performance.now();
  console.log(`reliability${quick ? ' --quick' : ''}: Node ${process.version}, ${cpus().length} CPUs`);

  const world = await prepareCheckWorld({
    consultants: SIZE.consultants,
    tenants: SIZE.tenants,
    subscriptions: 2,
  });
  try {
    const faults = await runCheckScenario(world, {
      consultants: SIZE.consultants,
      tenants: SIZE.tenants,
      latencyMs: 5,
      knobs: { throttleRate: 0.1, serverErrorRate: 0.02, resetRate: 0.02, timeoutRate: 0.01, seed: 1 },
      armAttemptTimeoutMs: 1000,
    });
    rows.push(checkRow('check run: ARM 10 % 429, 2 % 500/503, 2 % resets, 1 % unanswered', faults));
    console.log(rows.at(-1));
    const killed = await runCheckScenario(world, {
      consultants: SIZE.consultants,
      tenants: SIZE.tenants,
      latencyMs: 20,
      concurrency: 8,
      knobs: { throttleRate: 0.05, serverErrorRate: 0.02, resetRate: 0.01, timeoutRate: 0, seed: 2 },
      armAttemptTimeoutMs: 1000,
      killAfterVerdicts: Math.floor(SIZE.consultants * SIZE.tenants * 0.4),
    });
    rows.push(checkRow('check run: SIGKILL mid-run, restart resumes (with ARM faults)', killed));
    console.log(rows.at(-1));
  } finally {
    await world.close();
  }

  const send = await runSendScenario({
    messages: SIZE.send,
    faults: { tempRefusal: 0.05, dropBeforeReply: 0.02, dropAfterAccept: 0.005, stall: 0.005, seed: 3 },
    refusedEvery: 40,
    spamEvery: 61,
    smtpTimeoutSeconds: 2,
  });
  rows.push(sendRow('bulk send: SMTP refusals, 451s, drops, timeouts', send));
  console.log(rows.at(-1));
  const killedSend = await runSendScenario({
    messages: SIZE.killSend,
    faults: { tempRefusal: 0.02, dropBeforeReply: 0.01, dropAfterAccept: 0, stall: 0, seed: 4 },
    refusedEvery: 50,
    smtpTimeoutSeconds: 2,
    killAfterReceived: Math.floor(SIZE.killSend * 0.4),
  });
  rows.push(sendRow('bulk send: SIGKILL mid-send, restarted sender finishes', killedSend));
  console.log(rows.at(-1));

  rows.push(sqliteBusy());
  rows.push(hostileInput());

  const totals = {
    faults: rows.reduce((s, r) => s + r.faults, 0),
    wrong: rows.reduce((s, r) => s + (typeof r.wrong === 'number' ? r.wrong : 0), 0),
    lost: rows.reduce((s, r) => s + (typeof r.lost === 'number' ? r.lost : 0), 0),
    duplicates: rows.reduce((s, r) => s + (typeof r.duplicates === 'number' ? r.duplicates : 0), 0),
    fiveHundreds: rows.reduce((s, r) => s + (typeof r.fiveHundreds === 'number' ? r.fiveHundreds : 0), 0),
  };
  const date = new Date().toISOString().slice(0, 10);
  const command = `npm run reliability${quick ? ' -- --quick' : ''}`;
  const section = [
    `Produced by \`${command}\` on ${date} (Node ${process.version}, ${cpus().length} CPUs, ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s in all).`,
    '',
    table(),
    '',
    `**Totals:** ${int(totals.faults)} faults and hostile inputs injected; ${totals.wrong} wrong verdicts or ` +
      `wrong outcomes; ${totals.lost} messages lost; ${totals.duplicates} duplicate deliveries; ` +
      `${totals.fiveHundreds} × 5xx to hostile input.`,
  ].join('\n');
  console.log(`\n${section}\n`);
  if (!args['no-write']) {
    const doc = readFileSync(DOC, 'utf8');
    const begin = '<!-- figures:begin -->';
    const end = '<!-- figures:end -->';
    const from = doc.indexOf(begin);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) throw new Error('docs/reliability.md has no figures markers');
    writeFileSync(DOC, `${doc.slice(0, from + begin.length)}\n${section}\n${doc.slice(to)}`);
    console.log('docs/reliability.md: figures section rewritten');
  }
  clearTimeout(deadline);
  return totals.wrong + totals.lost + totals.fiveHundreds === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`\nreliability failed: ${(error as Error).stack ?? error}`);
  killChildren();
  process.exitCode = 1;
}
