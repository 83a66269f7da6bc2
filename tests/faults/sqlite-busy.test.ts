import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_TOKEN, testConfig } from '../support/app.ts';
import { TEST_DATABASE_URL } from '../support/test-database.ts';

// Another process holding SQLite's write lock (a backup tool, a second instance started by mistake, an
// operator's sqlite3 shell in a transaction). Brief contention is waited out (busy_timeout, 5 s); a
// lock held longer is a 503 with Retry-After, never a 500; and once it is released the service carries
// on with nobody stepping in.
const dir = mkdtempSync(join(tmpdir(), 'pal-busy-'));
const file = join(dir, 'pal.db');
let app: Awaited<ReturnType<typeof buildTestApp>>;

beforeAll(async () => {
  app = await buildTestApp({ config: testConfig({ DATABASE_URL: `sqlite:${file}` }) });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const add = (email: string) =>
  request(app.app)
    .post('/api/consultants')
    .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`)
    .send({ email });

/**
 * Another process takes the write lock for `ms` (it must be another process: better-sqlite3 waits for
 * a lock synchronously, so a holder in this process could never let go). Resolves once the lock is
 * held, with a promise of its release.
 */
async function holdWriteLock(ms: number): Promise<{ released: Promise<void> }> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.argv[1]);
       db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
       setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, Number(process.argv[2]));`,
      file,
      String(ms),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return { released: new Promise((resolve) => holder.once('exit', () => resolve())) };
}

describe.skipIf(TEST_DATABASE_URL)('SQLite locked by another writer', () => {
  it('waits out a lock held for a moment: the writes succeed once it is released', async () => {
    const { released } = await holdWriteLock(1500);
    const started = performance.now();
    const answers = await Promise.all([add('a1@contoso.example'), add('a2@contoso.example')]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    await released;
  });

  it('answers 503 with Retry-After while the lock outlasts busy_timeout, then recovers by itself', async () => {
    const { released } = await holdWriteLock(6500);
    const during = await add('b1@contoso.example');
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.body.error.code).toBe('unavailable');
    // Reads go on meanwhile (WAL).
    const listed = await request(app.app)
      .get('/api/consultants')
      .set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    expect(listed.status).toBe(200);
    await released;
    const after = await add('b1@contoso.example');
    expect(after.status).toBe(201);
  }, 20_000);
});
