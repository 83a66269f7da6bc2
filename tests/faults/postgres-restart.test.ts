import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailSender } from '../../src/jobs/background.ts';
import { buildTestApp, TEST_ADMIN_TOKEN, testConfig } from '../support/app.ts';
import { TEST_DATABASE_URL } from '../support/test-database.ts';

/**
 * A PostgreSQL restart under a running service (issue "hardening"): requests during the restart get a
 * 503 with Retry-After (never a 500), and once the server is back everything works again — API calls,
 * the outbox sender — without anyone restarting the service. The server restarted is a private
 * cluster made for this test (initdb on a free port), never the shared one the suite runs on.
 */
const bin = (() => {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  return version ? join(root, version, 'bin') : undefined;
})();
const canRun = Boolean(TEST_DATABASE_URL && bin && process.getuid?.() === 0);

let dir: string;
let port: number;
const asPostgres = (tool: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', join(bin as string, tool), ...args], {
    stdio: 'pipe',
    timeout: 60_000,
  });
const pgCtl = (action: string, extra: string[] = []) =>
  asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-w', '-t', '30', ...extra, action]);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: found } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return found;
}

describe.skipIf(!canRun)('a PostgreSQL restart under the running service', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pal-pg-restart-'));
    execFileSync('chown', ['postgres:postgres', dir]);
    port = await freePort();
    asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'root', '--no-sync']);
    pgCtl('start', [
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      join(dir, 'log'),
    ]);
  }, 90_000);

  afterAll(() => {
    try {
      pgCtl('stop', ['-m', 'immediate']);
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while the database restarts and recovers on its own: API and outbox', async () => {
    const app = await buildTestApp({
      config: testConfig({
        DATABASE_URL: `postgres://root@127.0.0.1:${port}/postgres`,
        DATABASE_POOL_SIZE: '3',
        JOB_QUEUE: 'in-process',
      }),
    });
    const api = (method: 'get' | 'post', path: string, body?: object) =>
      request(app.app)[method](path).set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send(body);
    try {
      const csv = [
        'email,displayName',
        ...Array.from({ length: 40 }, (_, i) => `r${i}@contoso.example,R ${i}`),
      ];
      expect(
        (await api('post', '/api/consultants/import').type('text/csv').send(csv.join('\n'))).status,
      ).toBe(200);
      const batch = await api('post', '/api/invitations', { all: true, send: true });
      expect(batch.status).toBe(202);

      pgCtl('stop', ['-m', 'fast']);
      const during = await api('get', '/api/consultants');
      expect(during.status).toBe(503);
      expect(during.headers['retry-after']).toBe('5');
      expect(during.body.error.message).toMatch(/busy or restarting/);
      expect((await request(app.app).get('/readyz')).status).toBe(503);
      // The sender finds the database gone: it keeps its messages for later instead of losing them.
      const sender = createMailSender(app.deps, { idleMs: 50 });
      await expect(sender.drain()).rejects.toThrow();

      pgCtl('start', [
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        '-l',
        join(dir, 'log'),
      ]);
      expect((await request(app.app).get('/readyz')).status).toBe(200);
      expect((await api('get', '/api/consultants')).body.consultants).toHaveLength(40);
      await sender.drain();
      const progress = await api('get', `/api/batches/${batch.body.batchId}`);
      expect(progress.body).toMatchObject({ total: 40, sent: 40, failed: 0, pending: 0 });
    } finally {
      await app.close();
    }
  }, 120_000);
});
