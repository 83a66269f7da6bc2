import { describe, expect, it } from 'vitest';
import { isSecretKey, scrubDetail } from './redact.ts';

describe('audit detail guard', () => {
  it('recognises secret-named keys in any naming style', () => {
    for (const key of [
      'token',
      'refreshToken',
      'client_secret',
      'X-Api-Key',
      'password',
      'code',
      'authCode',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
  });

  it('keeps ordinary keys that merely contain the letters', () => {
    for (const key of [
      'name',
      'email',
      'tokenless',
      'passage',
      'decoded',
      'tenantId',
      'revokedInvitations',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('drops secret keys at any depth and keeps the rest', () => {
    const detail = {
      name: 'ci-bot',
      token: 'pal_whatever',
      nested: { refresh_token: 'x', tenantId: 't1', list: [{ password: 'p', ok: 1 }] },
    };
    expect(scrubDetail(detail)).toEqual({ name: 'ci-bot', nested: { tenantId: 't1', list: [{ ok: 1 }] } });
  });

  it('drops values shaped like our bearer tokens even under an innocent key', () => {
    const leaked = `pal_${'A'.repeat(43)}`;
    expect(scrubDetail({ note: leaked, header: 'Bearer abc', list: [leaked, 'kept'] })).toEqual({
      list: ['kept'],
    });
  });

  it('passes scalars through unchanged', () => {
    expect(scrubDetail(3)).toBe(3);
    expect(scrubDetail(null)).toBe(null);
  });
});
