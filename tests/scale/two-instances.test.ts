import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps, closeDeps, type Deps } from '../../src/deps.ts';
import { parseConfig } from '../../src/platform/config/index.ts';
import { SANDBOX_DEFAULTS } from '../../src/platform/config/sandbox-defaults.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { armTime } from '../../src/sandbox/arm/time.ts';
import { addBulkConsultants } from '../../src/sandbox/control/bulk.ts';
import { sandboxControl } from '../../src/sandbox/control-client.ts';
import {
  codeRequestOf,
  issueSignInCodes,
  linkedWorldOf,
  newSignInPlan,
  seedLinkedConsultants,
} from '../../src/sandbox/linked-consultants.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { BUILTIN_ROLES } from '../../src/sandbox/world/builtin-roles.ts';
import { startSmtpServer } from '../mail/smtp-server.ts';
import { startTestSandbox, TEST_PARTNER } from '../support/sandbox.ts';
import { freshSchemaName, postgresUrlWithSchema, TEST_DATABASE_URL } from '../support/test-database.ts';

/**
 * DESIGN §9, issue "scale-out": two real server processes (`src/main.ts`) on one PostgreSQL database,
 * jobs through pg-boss, a sandbox and an SMTP server in this process shared by both. PostgreSQL only:
 * the embedded SQLite default is one instance by design (the CI's PostgreSQL pass runs this).
 */
const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;
const ADMIN_TOKEN = 'two-instances-admin-token-0123456789';
const CONSULTANTS_TO_MAIL = 2000;
const LINKED_CONSULTANTS = 40;
const TENANTS = 3;

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

const workDir = mkdtempSync(join(tmpdir(), 'pal-two-'));
let sandbox: RunningSandbox;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let env: Record<string, string>;
let deps: Deps;
const instances: Instance[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startInstance(name: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: workDir,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const instance = { name, url: `http://127.0.0.1:${port}`, child, exited, output: () => output };
  await until(`${name} ready`, 30_000, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output}`);
    return (await fetch(`${instance.url}/readyz`).catch(() => undefined))?.ok === true;
  });
  instances.push(instance);
  return instance;
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function api(
  instance: Instance,
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
) {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': type }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: whatever JSON the API sent
  return { status: response.status, body: (await response.json()) as any };
}

/** The sandbox's control API (knobs, Resource Manager call counters). */
const control = (method: string, path: string, body?: unknown) =>
  // biome-ignore lint/suspicious/noExplicitAny: the control API's JSON
  sandboxControl<any>(sandbox, method, path, body);

const runRow = (runId: string) =>
  deps.db.selectFrom('check_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();

/** Every verdict of the run, and how many each association got. */
async function verdictsOf(runId: string) {
  const rows = await deps.db
    .selectFrom('verdicts')
    .select(['association_id', 'checked_by'])
    .where('run_id', '=', runId)
    .execute();
  const perAssociation = new Map<string, number>();
  for (const row of rows)
    perAssociation.set(row.association_id, (perAssociation.get(row.association_id) ?? 0) + 1);
  return { rows, perAssociation, checkers: new Set(rows.map((row) => row.checked_by)) };
}

describe.skipIf(!TEST_DATABASE_URL)('two instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    smtp = await startSmtpServer();
    const caFile = join(workDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    env = {
      PATH: process.env.PATH ?? '',
      // Both instances trust the sandbox the way a deployment trusts a private CA.
      NODE_EXTRA_CA_CERTS: caFile,
      DATABASE_URL: postgresUrlWithSchema(TEST_DATABASE_URL as string, freshSchemaName()),
      DATABASE_POOL_SIZE: '5',
      DATA_DIR: join(workDir, 'data'),
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      AZURE_CLIENT_ID: SANDBOX_DEFAULTS.clientId,
      AZURE_TENANT_ID: TEST_PARTNER.tenantId,
      AZURE_CLIENT_SECRET: sandbox.clientSecret,
      AZURE_AUTHORITY_HOST: sandbox.url,
      ARM_ENDPOINT: sandbox.url,
      PARTNER_NAME: TEST_PARTNER.name,
      PARTNER_GLOBAL_ID: TEST_PARTNER.globalId,
      PARTNER_LOCATION_IDS: TEST_PARTNER.locationIds.join(','),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?pool=3`,
      MAIL_FROM: 'PAL <pal@contoso.example>',
      HEALTH_CHECK_CONCURRENCY: '3',
      // The shortest pg-boss allows: a killed instance's jobs move on within seconds.
      JOB_HEARTBEAT_SECONDS: '10',
      AUTO_REINVITE: 'false',
    };
    const parsed = parseConfig(env);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    // This process seeds the database and reads it back; it works no jobs itself.
    deps = await buildDeps(parsed.config, {
      logger: createLogger({ level: 'silent' }),
      trustedCa: sandbox.caPem,
    });
    await startInstance('A');
    await startInstance('B');
  }, 90_000);

  afterAll(async () => {
    for (const instance of instances) instance.child.kill('SIGKILL');
    await Promise.all(instances.map((instance) => instance.exited));
    if (deps) await closeDeps(deps);
    await smtp?.close();
    await sandbox?.close();
    rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  it(`sends a bulk invitation of ${CONSULTANTS_TO_MAIL} exactly once each, both instances sending`, async () => {
    const [a, b] = instances as [Instance, Instance];
    const csv = [
      'email,displayName',
      ...Array.from({ length: CONSULTANTS_TO_MAIL }, (_, i) => `mail-${i}@contoso.example,Consultant ${i}`),
    ].join('\n');
    const imported = await api(a, 'POST', '/api/consultants/import', csv, 'text/csv');
    expect(imported.body).toMatchObject({ created: CONSULTANTS_TO_MAIL, errors: [] });

    const started = await api(b, 'POST', '/api/invitations', { all: true, send: true });
    expect(started.status).toBe(202);
    const batchId = started.body.batchId as string;
    await until('the batch to be sent', 120_000, async () => {
      const progress = await api(a, 'GET', `/api/batches/${batchId}`);
      return progress.body.pending === 0;
    });
    expect((await api(b, 'GET', `/api/batches/${batchId}`)).body).toMatchObject({
      total: CONSULTANTS_TO_MAIL,
      sent: CONSULTANTS_TO_MAIL,
      failed: 0,
    });

    const perRecipient = new Map<string, number>();
    for (const message of smtp.received)
      for (const to of message.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    expect(perRecipient.size).toBe(CONSULTANTS_TO_MAIL);
    expect([...perRecipient.values()].every((count) => count === 1)).toBe(true);

    const senders = await deps.db
      .selectFrom('mail_outbox')
      .select(['sent_by', (eb) => eb.fn.countAll<number>().as('n')])
      .where('batch_id', '=', batchId)
      .groupBy('sent_by')
      .execute();
    expect(senders).toHaveLength(2);
    expect(senders.every((row) => row.sent_by !== null && Number(row.n) > 0)).toBe(true);
  }, 180_000);

  describe('health-check runs', () => {
    let associations: number;

    beforeAll(async () => {
      const bulk = sandbox.world.change((state) => {
        const contributor = state.roleDefinitions.find((r) => r.id === BUILTIN_ROLES.contributor);
        if (!contributor) throw new Error('no Contributor role in the world');
        return addBulkConsultants(state, {
          count: LINKED_CONSULTANTS,
          tenants: [],
          generate: TENANTS,
          subscriptionsPerTenant: 2,
          role: () => contributor,
          partnerId: TEST_PARTNER.locationIds[0],
          now: armTime(new Date()),
        });
      });
      const world = linkedWorldOf(bulk, TEST_PARTNER.locationIds[0] as string);
      associations = world.associations.length;
      const plan = newSignInPlan(env.PUBLIC_BASE_URL as string);
      const codes = issueSignInCodes(
        sandbox.context,
        world.consultants.map((c) => c.userId),
        codeRequestOf(plan),
        TEST_PARTNER.tenantId,
      );
      const failures = await seedLinkedConsultants(deps, world, { plan, codes, concurrency: 8 });
      expect(failures).toEqual([]);
      // Slow enough that a run lasts seconds, so both instances take jobs and one can die mid-run.
      await control('PATCH', '/knobs', { latencyMs: 60 });
    }, 120_000);

    it('checks each association exactly once per run, and both instances take part', async () => {
      const [a, b] = instances as [Instance, Instance];
      await control('DELETE', '/calls');
      const started = await api(a, 'POST', '/api/health-checks');
      expect(started.body.started).toBe(true);
      const runId = started.body.runId as string;
      await until('the run to complete', 120_000, async () => (await runRow(runId)).state !== 'running');
      expect(await runRow(runId)).toMatchObject({
        state: 'completed',
        total: associations,
        done: associations,
      });
      expect((await api(b, 'GET', `/api/health-checks/${runId}`)).body).toMatchObject({
        state: 'completed',
        counts: { healthy: associations },
      });
      const verdicts = await verdictsOf(runId);
      expect(verdicts.perAssociation.size).toBe(associations);
      expect([...verdicts.perAssociation.values()].every((n) => n === 1)).toBe(true);
      expect(verdicts.checkers.size).toBe(2);
      // Checked once, not merely recorded once: Resource Manager saw one link read per association.
      const calls = await control('GET', '/calls');
      expect(calls.byOperation['partners.get']).toBe(associations);
    }, 150_000);

    it('finishes the run on the other instance when one is killed in the middle of it', async () => {
      const [a, b] = instances as [Instance, Instance];
      const started = await api(b, 'POST', '/api/health-checks');
      expect(started.body.started).toBe(true);
      const runId = started.body.runId as string;
      await until('a quarter of the run', 60_000, async () => (await runRow(runId)).done >= associations / 4);
      b.child.kill('SIGKILL');
      await b.exited;
      const atKill = (await runRow(runId)).done;
      expect(atKill).toBeLessThan(associations);

      await until(
        'the run to complete without B',
        120_000,
        async () => (await runRow(runId)).state !== 'running',
      );
      expect(await runRow(runId)).toMatchObject({
        state: 'completed',
        total: associations,
        done: associations,
      });
      const verdicts = await verdictsOf(runId);
      expect(verdicts.perAssociation.size).toBe(associations);
      expect([...verdicts.perAssociation.values()].every((n) => n === 1)).toBe(true);
      // A was alive throughout and checked what B left, including the jobs B held when it died.
      expect(verdicts.checkers.size).toBe(2);
      expect((await api(a, 'GET', `/api/health-checks/${runId}`)).body.state).toBe('completed');
    }, 180_000);
  });
});
