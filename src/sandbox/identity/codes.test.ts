import { describe, expect, it } from 'vitest';
import { type AuthorizationGrant, CODE_LIFETIME_MS, codeStoreFor, createCodeStore } from './codes.ts';

const at = new Date('2026-11-20T10:00:00Z');
const grant = (issuedAt = at): AuthorizationGrant => ({
  clientId: 'client',
  redirectUri: 'http://localhost/cb',
  codeChallenge: 'c',
  nonce: undefined,
  userId: 'u',
  tenantId: 't',
  scopes: ['openid'],
  issuedAt,
});

describe('authorization codes', () => {
  it('are random and redeem once', () => {
    const store = createCodeStore();
    const code = store.issue(grant());
    expect(code).not.toBe(store.issue(grant()));
    expect(store.redeem(code, at)).toMatchObject({ ok: true, grant: { userId: 'u' } });
    expect(store.redeem(code, at)).toEqual({ ok: false, reason: 'redeemed' });
  });

  it('expire after ten minutes', () => {
    const store = createCodeStore();
    const fresh = store.issue(grant());
    const stale = store.issue(grant());
    expect(store.redeem(fresh, new Date(at.getTime() + CODE_LIFETIME_MS)).ok).toBe(true);
    expect(store.redeem(stale, new Date(at.getTime() + CODE_LIFETIME_MS + 1))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('do not know codes they never issued', () => {
    expect(createCodeStore().redeem('sbx.nope', at)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('are kept per sandbox', () => {
    const a = {};
    const code = codeStoreFor(a).issue(grant());
    expect(codeStoreFor({}).redeem(code, at).ok).toBe(false);
    expect(codeStoreFor(a).redeem(code, at).ok).toBe(true);
  });
});
