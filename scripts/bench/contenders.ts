/**
 * One contender of `npm run bench:send`, run by send.ts in a fresh child process so that its peak
 * RSS is its own. Usage:
 *
 *   node scripts/bench/contenders.ts <baseline|naive|ours> --port <sink port> --count <n>
 *                                    [--database-url postgres://…] [--workers <n>]
 *
 * Prints one JSON line on stdout: { messages, seconds, peakRssMb, cpuSeconds, detail }. With
 * `--workers 2` or more, `ours` starts that many sender processes minus one beside its own (each a
 * `contenders.ts sender` process: the service's outbox sender polling as a server instance does),
 * all on the PostgreSQL database given.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SendMailOptions } from 'nodemailer';
import { composeMessage, messageIdHost, parseSender } from '../../src/mail/message.ts';
import { createMailRenderer } from '../../src/mail/render.ts';
import { parseSmtpUrl } from '../../src/mail/smtp-url.ts';
import { type Config, parseConfig } from '../../src/platform/config/index.ts';
import { createTemplates } from '../../src/platform/templates.ts';
import { insertRoster } from './roster.ts';

export type ContenderKind = 'baseline' | 'naive' | 'ours';

export interface ContenderResult {
  messages: number;
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
  detail?: Record<string, number>;
}

type Timed = Omit<ContenderResult, 'peakRssMb' | 'cpuSeconds'>;

/** Sends kept outstanding by the baseline: ten per pooled connection. */
const BASELINE_IN_FLIGHT = 50;

// Modules are loaded by the contender that needs them: the baselines must not pay (in RSS or start-up)
// for the service's composition root, which pulls in the Azure SDKs, the database and more.
const loadNodemailer = async () => (await import('nodemailer')).default;

/**
 * The service's own configuration, as `npm start` would read it, pointed at the sink. The key links
 * are derived with must be the same in every sender process of one run.
 */
function benchConfig(port: number, dir: string, databaseUrl: string | undefined, key: string): Config {
  const parsed = parseConfig({
    DATABASE_URL: databaseUrl ?? `sqlite:${join(dir, 'bench.db')}`,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    TOKEN_ENCRYPTION_KEY: key,
    AZURE_CLIENT_SECRET: 'bench-secret',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.config;
}

/**
 * One real invitation mail, rendered once, as nodemailer options: the baselines send this same
 * message to every recipient (only the To changes), so they pay for the transport alone.
 */
function preRendered(config: Config): SendMailOptions {
  const location = config.partner.locations[0]!;
  const rendered = createMailRenderer({ templates: createTemplates() }).renderInvitationMail({
    partnerName: config.partner.name,
    consultantName: 'Consultant 0',
    locationId: location.id,
    locationLabel: location.label,
    url: `${config.publicBaseUrl}/i/${randomBytes(32).toString('base64url')}`,
    expiresAt: new Date(Date.now() + 14 * 86_400_000),
    kind: 'invitation',
  });
  const composed = composeMessage(
    { to: recipient(0), ...rendered, messageId: 'bench-0' },
    {
      from: parseSender(config.mail.from),
      messageIdHost: messageIdHost(config.publicBaseUrl),
      date: new Date(),
    },
  );
  if (!composed.ok) throw new Error(composed.reason);
  return composed.options;
}

const recipient = (i: number) => `consultant${i}@contoso.example`;

/**
 * (a) The transport's ceiling: one pooled transporter with our pool settings, kept busy by a fixed
 * number of outstanding sends. Handing the pool all N at once measured some 25 % slower (its queue and
 * the garbage of N pending messages), so the window is the fairer ceiling.
 */
async function baseline(config: Config, count: number): Promise<Timed> {
  const nodemailer = await loadNodemailer();
  const transporter = nodemailer.createTransport(parseSmtpUrl(config.mail.smtpUrl!).options);
  const message = preRendered(config);
  const started = performance.now();
  let next = 0;
  const loop = async () => {
    while (next < count) await transporter.sendMail({ ...message, to: recipient(next++) });
  };
  await Promise.all(Array.from({ length: Math.min(BASELINE_IN_FLIGHT, count) }, loop));
  const seconds = (performance.now() - started) / 1000;
  transporter.close();
  return { messages: count, seconds };
}

/** (b) What a hand-written loop does: the default (unpooled) transport, one connection per message. */
async function naive(config: Config, count: number): Promise<Timed> {
  const nodemailer = await loadNodemailer();
  const { host, port } = parseSmtpUrl(config.mail.smtpUrl!).options;
  const transporter = nodemailer.createTransport({ host, port, secure: false });
  const message = preRendered(config);
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await transporter.sendMail({ ...message, to: recipient(i) });
  const seconds = (performance.now() - started) / 1000;
  transporter.close();
  return { messages: count, seconds };
}

/**
 * (c) The service path: a real SQLite file, N consultants on the roster (inserted directly, untimed),
 * then, timed, a bulk batch with sending on and the outbox sender draining it through SMTP.
 */
async function ours(config: Config, count: number, workers: number): Promise<Timed> {
  const [
    { buildDeps, closeDeps },
    { createBulkInvitations },
    { createInvitationService },
    { createMailSender },
  ] = await Promise.all([
    import('../../src/deps.ts'),
    import('../../src/invitations/bulk.ts'),
    import('../../src/invitations/service.ts'),
    import('../../src/jobs/background.ts'),
  ]);
  const { createOutboxStore } = await import('../../src/outbox/store.ts');
  const { createLogger } = await import('../../src/platform/logger.ts');

  const deps = await buildDeps(config, { logger: createLogger({ level: 'silent' }) });
  const consultants = await insertRoster(
    deps.db,
    Array.from({ length: count }, (_, i) => recipient(i)),
    config.partner.locations[0]!.id,
  );
  const outbox = createOutboxStore(deps.db);
  const bulk = createBulkInvitations({
    db: deps.db,
    clock: deps.clock,
    invitations: createInvitationService(deps),
    outbox,
    wake: () => {},
  });
  const sender = createMailSender(deps);
  // The other instances' senders, started (and idle) before the clock starts, as servers would be.
  const others = await Promise.all(Array.from({ length: workers - 1 }, () => startOtherSender()));

  const started = performance.now();
  // The batch's links are returned, as the API does; only their number is kept here.
  const batch = await bulk.createBatch({ consultants, tenantId: null, send: true, createdBy: 'bench' });
  const issued = batch.invitations.length;
  const issueSeconds = (performance.now() - started) / 1000;
  let progress = await outbox.progress(batch.batchId);
  // Every message is due now and the sink accepts everything: one drain does; a few at most. The
  // other senders find the batch by polling (within a second) and claim slices beside this one.
  for (let round = 0; progress.pending > 0 && round < 5; round += 1) {
    await sender.drain();
    progress = await outbox.progress(batch.batchId);
  }
  while (progress.pending > 0 && others.length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    progress = await outbox.progress(batch.batchId);
  }
  const seconds = (performance.now() - started) / 1000;
  const perSender = await deps.db
    .selectFrom('mail_outbox')
    .select(['sent_by', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', '=', batch.batchId)
    .groupBy('sent_by')
    .execute();
  await Promise.all(others.map((other) => other.stop()));
  await closeDeps(deps);
  if (progress.sent !== count || issued !== count) {
    throw new Error(`expected ${count} sent, got ${JSON.stringify(progress)} (${issued} issued)`);
  }
  const shares = perSender.map((row) => Number(row.n)).sort((a, b) => b - a);
  return {
    messages: progress.sent,
    seconds,
    detail: {
      issueSeconds,
      sendSeconds: seconds - issueSeconds,
      senders: shares.length,
      smallestShare: shares.at(-1) ?? 0,
    },
  };
}

/** Another instance's outbox sender, in a process of its own on the same database and sink. */
async function startOtherSender() {
  const { spawn } = await import('node:child_process');
  const child = spawn(
    process.execPath,
    [...process.execArgv, new URL(import.meta.url).pathname, 'sender', ...process.argv.slice(3)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sender exited with ${code}`)));
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** `contenders.ts sender`: an outbox sender as a server runs it, until stdin closes. */
async function sender(config: Config): Promise<void> {
  const { buildDeps, closeDeps } = await import('../../src/deps.ts');
  const { createMailSender } = await import('../../src/jobs/background.ts');
  const { createLogger } = await import('../../src/platform/logger.ts');
  const deps = await buildDeps(config, { logger: createLogger({ level: 'silent' }) });
  const worker = createMailSender(deps, { idleMs: 250 });
  worker.start();
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.on('end', resolve).resume());
  await worker.stop();
  await closeDeps(deps);
}

/**
 * This process's own peak RSS in KiB. On Linux `resourceUsage().maxRSS` carries over the RSS the
 * parent had when it forked us (the kernel keeps the larger of the two across exec), so a large
 * runner would inflate every contender; VmHWM is the high-water mark of this address space alone.
 */
function peakRssKib(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm) return Number(hwm);
  } catch {
    // Not Linux: maxRSS is the best there is.
  }
  return process.resourceUsage().maxRSS;
}

const CONTENDERS = { baseline, naive, ours };

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    count: { type: 'string' },
    'database-url': { type: 'string' },
    workers: { type: 'string', default: '1' },
  },
});
// Every sender process of one run derives the same links: the key comes from the first.
process.env.BENCH_KEY ??= randomBytes(32).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'pal-bench-'));
const config = () =>
  benchConfig(Number(values.port), dir, values['database-url'], process.env.BENCH_KEY as string);
if (positionals[0] === 'sender') {
  await sender(config());
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const run = CONTENDERS[positionals[0] as ContenderKind];
if (!run || !values.port || !values.count) throw new Error('usage: contenders.ts <kind> --port P --count N');
try {
  const result = await run(config(), Number(values.count), Number(values.workers));
  const usage = process.resourceUsage();
  const output: ContenderResult = {
    ...result,
    peakRssMb: peakRssKib() / 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
