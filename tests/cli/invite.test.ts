import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { processDatabaseUrl } from '../support/test-database.ts';

const run = promisify(execFile);
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** One database per data folder: its SQLite file, or a PostgreSQL schema on the PostgreSQL pass. */
const databases = new Map<string, string>();

/** The CLI as an admin runs it, against its own data folder (sandbox configuration, mail to the outbox). */
async function pal(dir: string, ...args: string[]) {
  if (!databases.has(dir)) databases.set(dir, processDatabaseUrl(join(dir, 'data', 'pal.db')));
  return run(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: databases.get(dir)!,
      LOG_LEVEL: 'error',
    },
  }).catch((error: { stdout: string; stderr: string; code: number }) => ({ ...error, failed: true }));
}

describe('pal invite --csv', () => {
  it('imports a 50-line roster with three bad lines, mails the 47 good ones and summarises', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pal-cli-'));
    const lines = ['email,displayName,locationId'];
    for (let i = 1; i <= 50; i++) lines.push(`consultant${i}@contoso.example,Consultant ${i},4471231`);
    lines[10] = 'not-an-email,Broken One,4471231';
    lines[20] = 'consultant20b@contoso.example,Global ID,4471230';
    lines[30] = 'consultant30b@contoso.example,Unknown location,9999999';
    writeFileSync(join(dir, 'roster.csv'), `${lines.join('\n')}\n`);

    const result = await pal(dir, 'invite', '--csv', 'roster.csv');
    expect(result.stdout).toContain('Roster import: 47 added, 0 updated, 0 unchanged, 3 refused.');
    expect(result.stdout).toMatch(/line 11: .*email/i);
    expect(result.stdout).toMatch(/line 21: .*global ID/i);
    expect(result.stdout).toMatch(/line 31: .*9999999/);
    expect(result.stdout).toMatch(/47 sent, 0 failed, 0 skipped, 0 waiting to retry/);

    const mails = readdirSync(join(dir, 'data', 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(47);
    const links = new Set(
      mails.map(
        (f) =>
          /\/i\/[\w-]{43}/.exec(
            readFileSync(join(dir, 'data', 'outbox', f), 'utf8').replace(/=\r?\n/g, ''),
          )?.[0],
      ),
    );
    expect(links.size).toBe(47);
  });

  it('prints links instead of mailing them with --no-send', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pal-cli-'));
    writeFileSync(join(dir, 'roster.csv'), 'email\nada@contoso.example\n');
    const result = await pal(dir, 'invite', '--csv', 'roster.csv', '--no-send');
    expect(result.stdout).toMatch(/ada@contoso\.example\thttp:\/\/localhost:3000\/i\/[\w-]{43}/);
    expect(result.stdout).toContain('1 links issued');
  });

  it('explains a missing choice of whom to invite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pal-cli-'));
    const result = await pal(dir, 'invite');
    expect(result.stderr).toContain('say whom to invite');
  });
});
