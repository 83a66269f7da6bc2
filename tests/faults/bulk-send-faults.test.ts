import { describe, expect, it } from 'vitest';
import { runSendScenario } from '../../scripts/reliability/send-run.ts';
import { freshSchemaName, postgresUrlWithSchema, TEST_DATABASE_URL } from '../support/test-database.ts';

// A bulk invitation batch sent by the service's outbox sender (a process of its own) through a real
// SMTP server that refuses, stalls and drops connections: every message must be accounted for.
// `npm run reliability` runs the same scenarios with a few thousand messages.
const database = () =>
  TEST_DATABASE_URL ? { databaseUrl: postgresUrlWithSchema(TEST_DATABASE_URL, freshSchemaName()) } : {};

const FAULTS = { tempRefusal: 0.05, dropBeforeReply: 0.03, dropAfterAccept: 0.01, stall: 0.01 };

describe('a bulk send under SMTP faults', () => {
  it('refusals, 451s, timeouts and dropped connections: every message sent or failed for good, none lost', async () => {
    const outcome = await runSendScenario({
      messages: 300,
      faults: { ...FAULTS, seed: 21 },
      refusedEvery: 40,
      spamEvery: 61,
      smtpTimeoutSeconds: 1,
      timeoutMs: 90_000,
      ...database(),
    });
    expect(outcome.lost).toBe(0);
    expect(outcome.sentButMissing).toBe(0);
    expect(outcome.wronglyFailed).toBe(0);
    expect(outcome.states.queued ?? 0).toBe(0);
    expect(outcome.states.sending ?? 0).toBe(0);
    // 7 refused at RCPT + 4 as spam, each failed with the server's reason.
    expect(outcome.refusedAsExpected).toBe(7 + 4);
    expect(outcome.states.failed).toBe(11);
    // Every kind of fault happened, so the figures above mean something.
    expect(outcome.faults.tempRefusals).toBeGreaterThan(0);
    expect(outcome.faults.dropsBeforeReply).toBeGreaterThan(0);
    expect(outcome.faults.stalls).toBeGreaterThan(0);
    // A duplicate needs the server to keep a message and lose the connection before saying so.
    expect(outcome.duplicates).toBeLessThanOrEqual(outcome.faults.dropsAfterAccept);
  }, 120_000);

  it('SIGKILL of the sender in the middle: a restarted sender finishes, nothing lost, few duplicates', async () => {
    const outcome = await runSendScenario({
      messages: 400,
      faults: { tempRefusal: 0.02, dropBeforeReply: 0, dropAfterAccept: 0, stall: 0, seed: 22 },
      refusedEvery: 50,
      smtpTimeoutSeconds: 2,
      killAfterReceived: 150,
      timeoutMs: 90_000,
      ...database(),
    });
    expect(outcome.killed?.atReceived).toBeGreaterThanOrEqual(150);
    expect(outcome.killed?.atReceived).toBeLessThan(392);
    expect(outcome.lost).toBe(0);
    expect(outcome.sentButMissing).toBe(0);
    expect(outcome.wronglyFailed).toBe(0);
    expect(outcome.refusedAsExpected).toBe(8);
    // Only messages in flight when the process died can arrive twice (at most 50 in flight).
    expect(outcome.duplicates).toBeLessThanOrEqual(50);
  }, 120_000);
});
