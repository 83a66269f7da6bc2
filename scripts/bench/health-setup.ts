/**
 * Setup of `npm run bench:health` (not measured), in its own process so the measured runs start
 * with nothing in memory but the service: writes the consultants and their associations to the
 * SQLite file and signs every consultant in once through the service's identity port — the
 * authorization codes come from the sandbox's code store (as its account picker would issue them)
 * and are redeemed by MSAL exactly as the OAuth callback does, so each stored token cache is a real,
 * sealed MSAL cache with a real refresh token. Reads its input as one JSON document on stdin and
 * prints `{ seconds, failures }` on stdout.
 */
import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { createTokenCacheStore } from '../../src/azure/token-cache-store.ts';
import { closeDeps } from '../../src/deps.ts';
import { forEachBounded } from '../../src/health/concurrency.ts';
import type { SeededWorld } from './health-sandbox.ts';
import { buildBenchDeps, type SandboxInfo } from './health-service.ts';

export interface SetupInput {
  sandbox: SandboxInfo;
  dbFile: string;
  dataDir: string;
  seeded: SeededWorld;
  codes: { userId: string; code: string }[];
  pkce: { verifier: string; nonce: string; state: string };
  concurrency: number;
}

const input = JSON.parse(await text(process.stdin)) as SetupInput;
const started = performance.now();
const deps = await buildBenchDeps(input);
const caches = createTokenCacheStore(deps);
const now = new Date().toISOString();
const location = input.seeded.partnerId;

const consultantIds = new Map<string, string>();
const tenantsOf = new Map<string, string[]>();
for (const a of input.seeded.associations) {
  const list = tenantsOf.get(a.userId) ?? [];
  list.push(a.tenantId);
  tenantsOf.set(a.userId, list);
}
await deps.db.transaction().execute(async (trx) => {
  for (const c of input.seeded.consultants) {
    const id = randomUUID();
    consultantIds.set(c.userId, id);
    await trx
      .insertInto('consultants')
      .values({
        id,
        email: c.upn,
        display_name: c.displayName,
        location_id: location,
        customer_tenants: JSON.stringify(tenantsOf.get(c.userId) ?? []),
        status: 'active',
        created_at: now,
        updated_at: now,
        offboarded_at: null,
      })
      .execute();
  }
  for (const a of input.seeded.associations) {
    await trx
      .insertInto('associations')
      .values({
        id: randomUUID(),
        consultant_id: consultantIds.get(a.userId)!,
        kind: 'user',
        tenant_id: a.tenantId,
        tenant_name: a.tenantName,
        object_id: a.objectId,
        partner_id: location,
        previous_partner_id: null,
        linked_at: now,
        status: 'active',
        verdict: null,
        verdict_since: null,
        last_checked_at: null,
        evidence: null,
      })
      .execute();
  }
});

// One sign-in per consultant, as the OAuth callback does it: redeem the code, keep the sealed cache.
const failures: string[] = [];
await forEachBounded(input.codes, input.concurrency, async ({ userId, code }) => {
  const consultantId = consultantIds.get(userId)!;
  const redeemed = await deps.azure.identity.redeemCode({
    code,
    codeVerifier: input.pkce.verifier,
    nonce: input.pkce.nonce,
    state: input.pkce.state,
    authority: 'organizations',
  });
  if (!redeemed.outcome.ok) {
    failures.push(`${userId}: ${redeemed.outcome.failure.errorCode} ${redeemed.outcome.failure.message}`);
    return;
  }
  const account = redeemed.outcome.value.homeAccountId;
  await caches.save(account, consultantId, redeemed.cache);
  await deps.db
    .updateTable('consultants')
    .set({ home_account_id: account, signed_in_as: redeemed.outcome.value.username, last_signed_in_at: now })
    .where('id', '=', consultantId)
    .execute();
});
await closeDeps(deps);
const summary = {
  seconds: (performance.now() - started) / 1000,
  failed: failures.length,
  failures: failures.slice(0, 5),
};
process.stdout.write(`${JSON.stringify(summary)}\n`, () => process.exit(0));
