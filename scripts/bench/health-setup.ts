/**
 * Setup of `npm run bench:health` (not measured), in its own process so the measured runs start
 * with nothing in memory but the service: writes the consultants and their associations to the
 * SQLite file and signs every consultant in once through the service's identity port — the
 * authorization codes come from the sandbox's code store (as its account picker would issue them)
 * and are redeemed by MSAL exactly as the OAuth callback does, so each stored token cache is a real,
 * sealed MSAL cache with a real refresh token. Reads its input as one JSON document on stdin and
 * prints `{ seconds, failures }` on stdout.
 */
import { text } from 'node:stream/consumers';
import { closeDeps } from '../../src/deps.ts';
import { type SignInPlan, seedLinkedConsultants } from '../../src/sandbox/linked-consultants.ts';
import type { SeededWorld } from './health-sandbox.ts';
import { buildBenchDeps, type SandboxInfo } from './health-service.ts';

export interface SetupInput {
  sandbox: SandboxInfo;
  /** `sqlite:<file>` or a postgres:// URL: where the service keeps its data. */
  databaseUrl: string;
  dataDir: string;
  seeded: SeededWorld;
  codes: { userId: string; code: string }[];
  plan: SignInPlan;
  concurrency: number;
}

const input = JSON.parse(await text(process.stdin)) as SetupInput;
const started = performance.now();
const deps = await buildBenchDeps(input);
const failures = await seedLinkedConsultants(deps, input.seeded, {
  plan: input.plan,
  codes: input.codes,
  concurrency: input.concurrency,
});
await closeDeps(deps);
const summary = {
  seconds: (performance.now() - started) / 1000,
  failed: failures.length,
  failures: failures.slice(0, 5),
};
process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
