import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/service.ts';
import { createInvitationService } from '../../src/invitations/service.ts';
import { createAssociationStore } from '../../src/pal/associations.ts';
import { parseConfig } from '../../src/platform/config/index.ts';
import { openDatabase } from '../../src/platform/db/connection.ts';
import { TABLES_IN_DEPENDENCY_ORDER } from '../../src/platform/db/copy-to-postgres.ts';
import { migrationProvider } from '../../src/platform/db/migrations/index.ts';
import { createRosterService } from '../../src/roster/service.ts';
import { addCheckedLink } from '../console/seed.ts';
import { buildTestApp, testConfig } from '../support/app.ts';
import { freshSchemaName, postgresUrlWithSchema, TEST_DATABASE_URL } from '../support/test-database.ts';

const run = promisify(execFile);
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** The CLI as an operator runs it; its own DATABASE_URL names the SQLite database to copy. */
async function pal(sqliteFile: string, ...args: string[]) {
  return run(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${sqliteFile}`, LOG_LEVEL: 'error' },
  }).then(
    (result) => ({ ...result, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => error,
  );
}

/** An SQLite database filled the way the service fills it: roster, invitations, links, checks, audit. */
async function seededSqlite(consultants: number) {
  const file = join(mkdtempSync(join(tmpdir(), 'pal-migrate-')), 'pal.db');
  const built = await buildTestApp({ config: testConfig({ DATABASE_URL: `sqlite:${file}` }) });
  const { deps } = built;
  const roster = createRosterService({ ...deps, audit: createAuditLog(deps) });
  const ids: string[] = [];
  for (let i = 0; i < consultants; i++) {
    const created = await roster.create(
      { email: `consultant${i}@contoso.example`, displayName: `Consultant ${i}` },
      { actor: 'admin@contoso.example' },
    );
    ids.push(created.id);
  }
  await createInvitationService(deps).issueMany(ids.map((consultantId) => ({ consultantId })));
  const links = createAssociationStore(deps.db);
  for (const consultantId of ids.slice(0, Math.min(40, consultants - 1))) {
    await links.recordLink({
      consultantId,
      tenantId: 'F1B2C3D4-0001-4A6E-9B1D-FAB000000001',
      tenantName: 'Fabrikam',
      objectId: `object-${consultantId}`,
      partnerId: '4471231',
      previousPartnerId: null,
      at: deps.clock.now(),
    });
  }
  await addCheckedLink(deps, ids.at(-1)!, [{ at: '2026-11-19T05:00:00.000Z', verdict: 'reader_only' }]);
  const sample = await deps.db
    .selectFrom('consultants')
    .selectAll()
    .where('email', 'in', ['consultant0@contoso.example', `consultant${consultants - 1}@contoso.example`])
    .orderBy('email')
    .execute();
  await built.close();
  return { file, sample };
}

function openTarget(url: string) {
  const parsed = parseConfig({ DATABASE_URL: url });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return openDatabase(parsed.config.database);
}

/** `table  source  target  copied` lines of the command's report, by table. */
function countsIn(stdout: string) {
  const counts: Record<string, number[]> = {};
  for (const match of stdout.matchAll(/^ {2}(\w+)\s+(\d+)\s+(\d+)\s+(\d+)/gm)) {
    counts[match[1]!] = [Number(match[2]), Number(match[3]), Number(match[4])];
  }
  return counts;
}

// Needs a PostgreSQL server: runs in the CI's PostgreSQL pass (TEST_DATABASE_URL), whatever the suite's backend.
describe.skipIf(!TEST_DATABASE_URL)('pal migrate-to-postgres', () => {
  it('copies every table in chunks, verifies the counts, and copies nothing twice when run again', async () => {
    const { file, sample } = await seededSqlite(620);
    const to = postgresUrlWithSchema(TEST_DATABASE_URL!, freshSchemaName());

    const first = await pal(file, 'migrate-to-postgres', '--to', to);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/All 17 tables match: \d+ rows \(schema at 009-invitation-follow-ups\)/);
    const counts = countsIn(first.stdout);
    expect(Object.keys(counts)).toEqual([...TABLES_IN_DEPENDENCY_ORDER]);
    expect(counts.consultants).toEqual([620, 620, 620]);
    expect(counts.invitations).toEqual([620, 620, 620]);
    expect(counts.associations).toEqual([41, 41, 41]);
    expect(counts.verdicts).toEqual([1, 1, 1]);
    expect(counts.audit_events?.[0]).toBeGreaterThanOrEqual(620);

    const target = openTarget(to);
    try {
      const copied = await target
        .selectFrom('consultants')
        .selectAll()
        .where(
          'email',
          'in',
          sample.map((row) => row.email),
        )
        .orderBy('email')
        .execute();
      expect(copied).toEqual(sample);
      const link = await target
        .selectFrom('associations')
        .select(['tenant_id', 'partner_id', 'verdict_stale'])
        .where('tenant_name', '=', 'Fabrikam')
        .executeTakeFirstOrThrow();
      expect(link).toEqual({
        tenant_id: 'f1b2c3d4-0001-4a6e-9b1d-fab000000001',
        partner_id: '4471231',
        verdict_stale: 0,
      });
    } finally {
      await target.destroy();
    }

    const again = await pal(file, 'migrate-to-postgres', '--to', to);
    expect(again.code).toBe(0);
    const recounted = countsIn(again.stdout);
    for (const table of TABLES_IN_DEPENDENCY_ORDER) {
      expect(recounted[table]?.slice(0, 2)).toEqual(counts[table]?.slice(0, 2));
      expect(recounted[table]?.[2]).toBe(0);
    }
  });

  it('finishes a partial copy: rows already there are skipped, the rest copied', async () => {
    const { file } = await seededSqlite(30);
    const to = postgresUrlWithSchema(TEST_DATABASE_URL!, freshSchemaName());
    await pal(file, 'migrate-to-postgres', '--to', to);
    const target = openTarget(to);
    try {
      // As if the first copy had stopped part-way through the invitations.
      await target.deleteFrom('auth_attempts').execute();
      const kept = await target.selectFrom('invitations').select('id').orderBy('id').limit(10).execute();
      await target
        .deleteFrom('invitations')
        .where(
          'id',
          'not in',
          kept.map((row) => row.id),
        )
        .execute();
    } finally {
      await target.destroy();
    }
    const resumed = await pal(file, 'migrate-to-postgres', '--to', to);
    expect(resumed.code).toBe(0);
    expect(countsIn(resumed.stdout).invitations).toEqual([30, 30, 20]);
  });

  it('refuses a target whose schema is newer than the source', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pal-migrate-')), 'old.db');
    const old = openDatabase({ kind: 'sqlite', file });
    await new Migrator({ db: old, provider: migrationProvider }).migrateTo('003-outbox');
    await old.destroy();
    const to = postgresUrlWithSchema(TEST_DATABASE_URL!, freshSchemaName());
    const target = openTarget(to);
    await new Migrator({ db: target, provider: migrationProvider }).migrateToLatest();
    await target.destroy();

    const result = await pal(file, 'migrate-to-postgres', '--to', to);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Refused: the target has migrations the source lacks \(004-health-runs/);
  });

  it('names the SQLite database it copies and never prints the password', async () => {
    const result = await pal(
      '/nonexistent/pal.db',
      'migrate-to-postgres',
      '--to',
      'postgres://pal:hunter2@127.0.0.1:1/pal',
    );
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain('hunter2');
    expect(result.stdout).toContain('postgres://pal:***@127.0.0.1:1/pal');
  });
});
