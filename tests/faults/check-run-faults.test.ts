import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckWorld, prepareCheckWorld, runCheckScenario } from '../../scripts/reliability/check-run.ts';
import { freshSchemaName, postgresUrlWithSchema, TEST_DATABASE_URL } from '../support/test-database.ts';

// A health-check run of the service, in a process of its own, against a seeded sandbox whose right
// verdict is known for every association, with the Resource Manager failing in every way the knobs
// allow. `npm run reliability` runs the same scenarios at a larger size.
let world: CheckWorld;
beforeAll(async () => {
  world = await prepareCheckWorld({ consultants: 24, tenants: 2, subscriptions: 2, ...database() });
}, 120_000);
afterAll(async () => world?.close());

/** SQLite by default; with TEST_DATABASE_URL set, a schema of the PostgreSQL test database. */
function database(): { databaseUrl?: string } {
  return TEST_DATABASE_URL
    ? { databaseUrl: postgresUrlWithSchema(TEST_DATABASE_URL, freshSchemaName()) }
    : {};
}

describe('a health-check run under Resource Manager faults', () => {
  it('429, 500/503, resets and unanswered calls: every verdict right, none left hanging', async () => {
    const outcome = await runCheckScenario(world, {
      consultants: 24,
      tenants: 2,
      knobs: { throttleRate: 0.1, serverErrorRate: 0.05, resetRate: 0.05, timeoutRate: 0.03, seed: 11 },
      armAttemptTimeoutMs: 400,
      timeoutMs: 90_000,
    });
    expect(outcome.verdicts.examples).toEqual([]);
    expect(outcome.verdicts.wrong).toBe(0);
    // The faults did happen: this is not a clean run.
    expect(outcome.faults.throttled).toBeGreaterThan(0);
    expect(outcome.faults.serverErrors).toBeGreaterThan(0);
    expect(outcome.faults.noAnswer).toBeGreaterThan(0);
    expect(outcome.associations).toBe(48);
  }, 120_000);

  it('SIGKILL of the process in the middle of the run: a restarted process resumes it, nothing lost', async () => {
    const outcome = await runCheckScenario(world, {
      consultants: 24,
      tenants: 2,
      latencyMs: 30,
      concurrency: 4,
      knobs: { throttleRate: 0.05, serverErrorRate: 0.02, resetRate: 0.02, timeoutRate: 0, seed: 12 },
      armAttemptTimeoutMs: 400,
      killAfterVerdicts: 10,
      timeoutMs: 90_000,
    });
    expect(outcome.killed?.atVerdicts).toBeGreaterThanOrEqual(10);
    expect(outcome.killed?.atVerdicts).toBeLessThan(48);
    expect(outcome.verdicts.examples).toEqual([]);
    expect(outcome.verdicts.wrong).toBe(0);
  }, 120_000);
});
