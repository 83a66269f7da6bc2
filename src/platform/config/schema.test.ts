import { describe, expect, it } from 'vitest';
import { parseConfig, parseDatabaseUrl, parseEncryptionKeys } from './schema.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** A complete production configuration; tests break one thing at a time. */
const production = {
  AZURE_TENANT_ID: '11111111-2222-3333-4444-555555555555',
  AZURE_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  AZURE_CLIENT_SECRET: 'not-a-real-secret',
  PARTNER_NAME: 'Contoso',
  PARTNER_GLOBAL_ID: '1234566',
  PARTNER_LOCATION_IDS: '1234567:United Kingdom,1234568:Germany',
  TOKEN_ENCRYPTION_KEY: KEY,
};

function problems(env: Record<string, string>) {
  const result = parseConfig(env);
  return result.ok ? [] : result.problems;
}

describe('configuration', () => {
  it('runs the sandbox with working defaults when nothing is configured', () => {
    const result = parseConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sandbox.enabled).toBe(true);
    expect(result.config.port).toBe(3000);
    expect(result.config.publicBaseUrl).toBe('http://localhost:3000');
    expect(result.config.database).toEqual({ kind: 'sqlite', file: 'data/pal-manager.db' });
    expect(result.config.partner.locations.map((l) => l.id)).toHaveLength(2);
    expect(result.config.healthCheckSchedule).toBe('0 5 * * *');
    expect(result.config.healthCheckConcurrency).toBe(8);
    expect(result.config.invitationTtlDays).toBe(14);
  });

  it('accepts a complete production configuration and keeps the sandbox off', () => {
    const result = parseConfig(production);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sandbox.enabled).toBe(false);
    expect(result.config.partner.locations).toEqual([
      { id: '1234567', label: 'United Kingdom', isDefault: true },
      { id: '1234568', label: 'Germany', isDefault: false },
    ]);
    expect(result.config.tokenEncryptionKeys[0]?.key.length).toBe(32);
  });

  it('refuses the global ID as a location, naming both variables', () => {
    expect(problems({ ...production, PARTNER_LOCATION_IDS: '1234566,1234567' })).toEqual([
      'PARTNER_LOCATION_IDS: 1234566 is the global ID (PARTNER_GLOBAL_ID); PAL needs a location ID',
    ]);
  });

  it('refuses location IDs that are not digits, and duplicates', () => {
    expect(problems({ ...production, PARTNER_LOCATION_IDS: 'ABC123:UK,1234567,1234567' })).toEqual([
      'PARTNER_LOCATION_IDS: "ABC123" is not a partner ID (4 to 10 digits)',
      'PARTNER_LOCATION_IDS: 1234567 is listed twice',
    ]);
  });

  it('names every missing production setting on its own line', () => {
    const lines = problems({ AZURE_CLIENT_ID: production.AZURE_CLIENT_ID });
    expect(lines).toEqual(
      expect.arrayContaining([
        'AZURE_TENANT_ID: required when the sandbox is off',
        'PARTNER_NAME: required when the sandbox is off',
        'PARTNER_GLOBAL_ID: required when the sandbox is off',
        'PARTNER_LOCATION_IDS: required when the sandbox is off',
        expect.stringMatching(
          /^AZURE_CLIENT_SECRET: set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH/,
        ),
        expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: required when the sandbox is off/),
      ]),
    );
  });

  it('explains a database URL it cannot use without echoing credentials', () => {
    const lines = problems({ DATABASE_URL: 'mysql://root:hunter2@db/pal' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: use sqlite:<file> or postgres:/);
    expect(lines[0]).not.toContain('hunter2');
  });

  it('never runs the sandbox with a real app registration', () => {
    expect(problems({ ...production, SANDBOX: 'true' })).toContain(
      'SANDBOX: the sandbox never runs with a real app registration; unset AZURE_CLIENT_ID or SANDBOX',
    );
  });

  it('requires https for the identity platform and Resource Manager', () => {
    expect(problems({ ARM_ENDPOINT: 'http://management.azure.com' })).toEqual([
      'ARM_ENDPOINT: must be an https:// URL (Azure Resource Manager)',
    ]);
  });

  it('rejects a malformed cron schedule, a short API token and a bad port', () => {
    const lines = problems({ HEALTH_CHECK_SCHEDULE: 'every day', ADMIN_API_TOKEN: 'short', PORT: 'eighty' });
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/HEALTH_CHECK_SCHEDULE: "every day" is not a cron expression/);
    expect(lines.join('\n')).toMatch(/ADMIN_API_TOKEN: too short/);
    expect(lines.join('\n')).toMatch(/^PORT: /m);
  });

  it('lists admin emails in lower case and refuses a malformed one', () => {
    const ok = parseConfig({ ADMIN_EMAILS: 'Alex@Contoso.com, sam@contoso.com' });
    expect(ok.ok && ok.config.adminEmails).toEqual(['alex@contoso.com', 'sam@contoso.com']);
    expect(problems({ ADMIN_EMAILS: 'alex@contoso.com,not-an-email' })).toEqual([
      'ADMIN_EMAILS.1: not-an-email is not an email address',
    ]);
  });

  it('re-invites automatically at most weekly and mails the digest only on changes, unless told otherwise', () => {
    const defaults = parseConfig({});
    expect(defaults.ok && [defaults.config.autoReinvite, defaults.config.digestAlways]).toEqual([
      { enabled: true, minDays: 7 },
      false,
    ]);
    const changed = parseConfig({ AUTO_REINVITE: 'false', REINVITE_MIN_DAYS: '14', DIGEST_ALWAYS: 'yes' });
    expect(changed.ok && [changed.config.autoReinvite, changed.config.digestAlways]).toEqual([
      { enabled: false, minDays: 14 },
      true,
    ]);
    expect(problems({ REINVITE_MIN_DAYS: '0', AUTO_REINVITE: 'sometimes' })).toEqual([
      expect.stringMatching(/^AUTO_REINVITE: use true or false/),
      expect.stringMatching(/^REINVITE_MIN_DAYS: /),
    ]);
  });

  it('strips a trailing slash from the public base URL so links are built cleanly', () => {
    const result = parseConfig({ PUBLIC_BASE_URL: 'https://pal.contoso.com/' });
    expect(result.ok && result.config.publicBaseUrl).toBe('https://pal.contoso.com');
  });
});

describe('database URLs', () => {
  it('reads sqlite files and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/pal/pal.db')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/pal/pal.db',
    });
    expect(parseDatabaseUrl('sqlite:///var/lib/pal/pal.db')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/pal/pal.db',
    });
    expect(parseDatabaseUrl('postgres://pal@db.internal/pal')).toEqual({
      kind: 'postgres',
      url: 'postgres://pal@db.internal/pal',
      sslMode: 'disable',
      schema: undefined,
    });
    expect(typeof parseDatabaseUrl('sqlite:')).toBe('string');
  });

  it('takes sslmode and schema out of a postgres URL, keeping the rest for pg', () => {
    expect(
      parseDatabaseUrl(
        'postgresql://pal:s%40cret@db.internal:6432/pal?sslmode=verify-full&schema=pal&application_name=x',
      ),
    ).toEqual({
      kind: 'postgres',
      url: 'postgresql://pal:s%40cret@db.internal:6432/pal?application_name=x',
      sslMode: 'verify-full',
      schema: 'pal',
    });
  });

  it('refuses TLS settings it would not honour, without echoing the password', () => {
    const prefer = problems({ DATABASE_URL: 'postgres://pal:hunter2@db/pal?sslmode=prefer' });
    expect(prefer).toEqual([
      'DATABASE_URL: sslmode=prefer is not supported: use disable, require, verify-ca or verify-full',
    ]);
    expect(problems({ DATABASE_URL: 'postgres://db/pal?sslrootcert=/ca.pem' })[0]).toMatch(
      /DATABASE_CA_PATH/,
    );
    expect(problems({ DATABASE_URL: 'postgres://db/pal?schema=Pal-Prod' })[0]).toMatch(/schema=/);
  });

  it('sizes the pool and reads the CA path, which only makes sense over TLS', () => {
    const result = parseConfig({
      DATABASE_URL: 'postgres://db/pal?sslmode=verify-full',
      DATABASE_POOL_SIZE: '25',
      DATABASE_CA_PATH: '/etc/ssl/pal-db-ca.pem',
    });
    expect(result.ok && result.config.database).toMatchObject({
      kind: 'postgres',
      poolSize: 25,
      caPath: '/etc/ssl/pal-db-ca.pem',
    });
    const defaults = parseConfig({ DATABASE_URL: 'postgres://db/pal' });
    expect(defaults.ok && defaults.config.database).toMatchObject({ poolSize: 10, caPath: undefined });
    expect(problems({ DATABASE_URL: 'postgres://db/pal', DATABASE_CA_PATH: '/ca.pem' })).toEqual([
      'DATABASE_CA_PATH: only used over TLS; add sslmode=verify-full to the postgres:// DATABASE_URL',
    ]);
    expect(problems({ DATABASE_POOL_SIZE: '0' })[0]).toMatch(/^DATABASE_POOL_SIZE: /);
  });
});

describe('token encryption keys', () => {
  it('names an anonymous key after its fingerprint so the same key keeps the same ID', () => {
    const first = parseEncryptionKeys(KEY);
    const second = parseEncryptionKeys(KEY);
    expect(Array.isArray(first) && Array.isArray(second) && first[0]?.id === second[0]?.id).toBe(true);
  });

  it('keeps the order of rotated keys: the first encrypts, the rest still decrypt', () => {
    const other = Buffer.alloc(32, 9).toString('base64');
    const keys = parseEncryptionKeys(`2026b:${KEY},2025a:${other}`);
    expect(Array.isArray(keys) && keys.map((k) => k.id)).toEqual(['2026b', '2025a']);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(parseEncryptionKeys(Buffer.alloc(16).toString('base64'))).toMatch(/32 bytes/);
  });
});

describe('the shipped .env.example', () => {
  it('parses as it is, so copying it to .env starts the service', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseEnv } = await import('node:util');
    const env = parseEnv(readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8'));
    const result = parseConfig(env);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
