/**
 * The bulk-send fault scenarios of `npm run reliability` and tests/faults: a batch of N invitations
 * sent by the service's outbox sender (a process of its own) through a real SMTP server that refuses,
 * stalls and drops connections (smtp-faulty.ts). With `killAfterReceived`, the sender is SIGKILLed
 * once that many messages arrived and a new sender process (the restart) finishes the batch. Then
 * every message is accounted for: the outbox rows against what the server kept.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBenchDatabase } from '../bench/health-verdicts.ts';
import { jsonChild } from './child.ts';
import type { SendChildInput } from './send-child.ts';
import { type SmtpFaultCounts, type SmtpFaultRates, startFaultySmtpServer } from './smtp-faulty.ts';

export interface SendScenario {
  messages: number;
  faults: SmtpFaultRates;
  /** Every n-th recipient is refused for good at RCPT (550), every m-th as spam after DATA (554). */
  refusedEvery?: number;
  spamEvery?: number;
  /** Seconds of SMTP silence before the sender gives up on a message (SMTP_URL `timeout`). */
  smtpTimeoutSeconds: number;
  killAfterReceived?: number;
  databaseUrl?: string;
  clockSpeed?: number;
  timeoutMs?: number;
}

export interface SendOutcome {
  messages: number;
  seconds: number;
  faults: SmtpFaultCounts;
  /** Outbox rows by final state. */
  states: Record<string, number>;
  /** Recipients whose message was delivered (kept by the server) at least once. */
  delivered: number;
  /** Messages that should have arrived (not refused for good) and never did, or still pending. */
  lost: number;
  /** Refused for good and marked failed with the server's reason, as expected. */
  refusedAsExpected: number;
  /** Marked failed although the server never refused them for good (a temporary fault given up on). */
  wronglyFailed: number;
  /** Marked sent although the server never kept them. */
  sentButMissing: number;
  /** Deliveries beyond the first per recipient. */
  duplicates: number;
  attempts: { max: number; total: number };
  killed?: { atReceived: number };
}

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

function child(input: SendChildInput) {
  return jsonChild(script('./send-child.ts'), input, `send-child (${input.mode})`);
}

export function recipientOf(i: number, scenario: Pick<SendScenario, 'refusedEvery' | 'spamEvery'>): string {
  const n = String(i).padStart(6, '0');
  if (scenario.refusedEvery && i % scenario.refusedEvery === scenario.refusedEvery - 1)
    return `refused-${n}@customer.example`;
  if (scenario.spamEvery && i % scenario.spamEvery === scenario.spamEvery - 1)
    return `spam-${n}@customer.example`;
  return `consultant-${n}@customer.example`;
}

export async function runSendScenario(scenario: SendScenario): Promise<SendOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'pal-reliability-send-'));
  const databaseUrl = scenario.databaseUrl ?? `sqlite:${join(dir, 'pal.db')}`;
  const timeoutMs = scenario.timeoutMs ?? 600_000;
  const server = await startFaultySmtpServer(scenario.faults);
  const running = new Set<ChildProcess>();
  try {
    const recipients = Array.from({ length: scenario.messages }, (_, i) => recipientOf(i, scenario));
    const base: Omit<SendChildInput, 'mode'> = {
      databaseUrl,
      dataDir: dir,
      smtpUrl: `smtp://127.0.0.1:${server.port}?pool=5&timeout=${scenario.smtpTimeoutSeconds}`,
      epoch: Date.now(),
      clockSpeed: scenario.clockSpeed ?? 15,
    };
    await child({ ...base, mode: 'create', recipients }).output;
    const started = performance.now();
    const deadline = started + timeoutMs;
    const within = async <T>(promise: Promise<T>, what: string): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          promise,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`${what}: not finished in time`)),
              Math.max(0, deadline - performance.now()),
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    let killed: SendOutcome['killed'];
    const first = child({ ...base, mode: 'send' });
    running.add(first.process);
    if (scenario.killAfterReceived !== undefined) {
      while (server.total < scenario.killAfterReceived) {
        if (first.process.exitCode !== null) throw new Error('the sender finished before it could be killed');
        if (performance.now() > deadline) throw new Error('the sender made no progress before the deadline');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      first.process.kill('SIGKILL');
      await first.output.catch(() => undefined);
      killed = { atReceived: server.total };
      // The restart: a new sender on the same database; it takes over the dead one's expired claims.
      const second = child({ ...base, mode: 'send' });
      running.add(second.process);
      await within(second.output, 'the restarted sender');
    } else {
      await within(first.output, 'the sender');
    }
    const seconds = (performance.now() - started) / 1000;
    return { ...(await account(databaseUrl, recipients, server)), seconds, ...(killed ? { killed } : {}) };
  } finally {
    for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function account(
  databaseUrl: string,
  recipients: string[],
  server: Awaited<ReturnType<typeof startFaultySmtpServer>>,
): Promise<Omit<SendOutcome, 'seconds' | 'killed'>> {
  const db = openBenchDatabase(databaseUrl);
  try {
    const rows = await db
      .selectFrom('mail_outbox')
      .select(['to_address', 'state', 'attempts', 'last_error'])
      .execute();
    const states: Record<string, number> = {};
    let lost = 0;
    let refusedAsExpected = 0;
    let wronglyFailed = 0;
    let sentButMissing = 0;
    let maxAttempts = 0;
    let totalAttempts = 0;
    const byRecipient = new Map(rows.map((r) => [r.to_address.toLowerCase(), r]));
    for (const row of rows) {
      states[row.state] = (states[row.state] ?? 0) + 1;
      maxAttempts = Math.max(maxAttempts, row.attempts);
      totalAttempts += row.attempts;
    }
    for (const address of recipients) {
      const row = byRecipient.get(address.toLowerCase());
      const refusable = address.startsWith('refused-') || address.startsWith('spam-');
      const kept = server.received.get(address.toLowerCase()) ?? 0;
      if (!row) {
        lost += 1;
        continue;
      }
      if (refusable) {
        if (row.state === 'failed' && /^5\.|55\d|554/.test(row.last_error ?? '')) refusedAsExpected += 1;
        else if (row.state !== 'failed') lost += 1;
        continue;
      }
      if (row.state === 'sent' && kept === 0) sentButMissing += 1;
      if (row.state === 'failed') wronglyFailed += 1;
      if (kept === 0) lost += 1;
    }
    let duplicates = 0;
    for (const count of server.received.values()) duplicates += Math.max(0, count - 1);
    return {
      messages: recipients.length,
      faults: { ...server.faults },
      states,
      delivered: server.received.size,
      lost,
      refusedAsExpected,
      wronglyFailed,
      sentButMissing,
      duplicates,
      attempts: { max: maxAttempts, total: totalAttempts },
    };
  } finally {
    await db.destroy();
  }
}
