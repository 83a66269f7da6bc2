import type { ConnectionOptions } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { poolConfig, tlsOptions } from './postgres.ts';

describe('PostgreSQL connection settings', () => {
  it('follows libpq: require encrypts without verifying, verify-full checks chain and host name', () => {
    expect(tlsOptions('disable', undefined)).toBe(false);
    expect(tlsOptions('require', undefined)).toEqual({ rejectUnauthorized: false });
    expect(tlsOptions('verify-full', undefined)).toEqual({});
    expect(tlsOptions('verify-full', 'PEM')).toEqual({ ca: 'PEM' });
  });

  it('verifies the chain but not the host name with verify-ca, or with require and a CA', () => {
    for (const mode of ['verify-ca', 'require'] as const) {
      const options = tlsOptions(mode, 'PEM') as ConnectionOptions;
      expect(options).toMatchObject({ ca: 'PEM' });
      expect(options.rejectUnauthorized).not.toBe(false);
      expect(options.checkServerIdentity?.('db.internal', {} as never)).toBeUndefined();
    }
  });

  it('puts the schema on the search path of every connection and returns counts as numbers', () => {
    const config = poolConfig({
      kind: 'postgres',
      url: 'postgres://db/pal',
      sslMode: 'disable',
      schema: 'pal',
      poolSize: 7,
      caPath: undefined,
    });
    expect(config).toMatchObject({ max: 7, options: '-c search_path=pal', ssl: false });
    const int8 = config.types?.getTypeParser(20, 'text') as (value: string) => unknown;
    expect(int8('42')).toBe(42);
    const text = config.types?.getTypeParser(25, 'text') as (value: string) => unknown;
    expect(text('2026-11-20T09:00:00.000Z')).toBe('2026-11-20T09:00:00.000Z');
  });
});
