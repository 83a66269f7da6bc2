import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processDatabaseUrl } from '../support/test-database.ts';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'pal-process-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor(check: () => boolean, ms = 15_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the server process', () => {
  it('exits 1 with one readable line per configuration problem and no stack trace', async () => {
    const proc = run({
      DATABASE_URL: 'mysql://x',
      PARTNER_GLOBAL_ID: '4471231',
      PARTNER_LOCATION_IDS: '4471231',
    });
    expect(await proc.exited).toBe(1);
    const { stderr } = proc.output();
    expect(stderr).toContain('DATABASE_URL: use sqlite:<file> or postgres://');
    expect(stderr).toContain(
      'PARTNER_LOCATION_IDS: 4471231 is the global ID (PARTNER_GLOBAL_ID); PAL needs a location ID',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('serves the sandbox, then shuts down cleanly on SIGTERM, closing the database', async () => {
    const proc = run({
      PORT: '0',
      SANDBOX_PORT: '0',
      DATA_DIR: join(workDir, 'data'),
      DATABASE_URL: processDatabaseUrl(join(workDir, 'data', 'pal.db')),
    });
    await waitFor(() => proc.output().stdout.includes('running as the SANDBOX'));
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.output().stderr).toBe('');
  });
});
