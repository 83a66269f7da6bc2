import { describe, expect, it } from 'vitest';
import { createSealedBox } from './sealed-box.ts';
import { createTokenHasher, newSecretToken, safeEqual } from './secret-tokens.ts';

const keyA = { id: 'a', key: Buffer.alloc(32, 1) };
const keyB = { id: 'b', key: Buffer.alloc(32, 2) };

describe('secret tokens', () => {
  it('are 256-bit, URL-safe and different every time', () => {
    const token = newSecretToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken()).not.toBe(token);
  });

  it('hash to a value that does not contain the token and depends on the server key', () => {
    const token = newSecretToken();
    const hash = createTokenHasher([keyA]).hash(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(createTokenHasher([keyB]).hash(token)).not.toBe(hash);
  });

  it('stay findable after a key rotation through the older key', () => {
    const token = newSecretToken();
    const before = createTokenHasher([keyA]).hash(token);
    expect(createTokenHasher([keyB, keyA]).candidates(token)).toContain(before);
  });

  it('compare in constant time and unequal across lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('sealed box', () => {
  it('round-trips and hides the plaintext', () => {
    const box = createSealedBox([keyA]);
    const sealed = box.seal('{"refresh_token":"rt-secret"}', 'account:1');
    expect(Buffer.from(sealed.data, 'base64').toString('latin1')).not.toContain('rt-secret');
    expect(box.open(sealed, 'account:1')).toBe('{"refresh_token":"rt-secret"}');
  });

  it('refuses altered data, another row context and an unknown key', () => {
    const box = createSealedBox([keyA]);
    const sealed = box.seal('secret', 'account:1');
    const bytes = Buffer.from(sealed.data, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(box.open({ ...sealed, data: bytes.toString('base64') }, 'account:1')).toBeUndefined();
    expect(box.open(sealed, 'account:2')).toBeUndefined();
    expect(createSealedBox([keyB]).open(sealed, 'account:1')).toBeUndefined();
  });

  it('opens data sealed under a retired key while sealing under the new one', () => {
    const old = createSealedBox([keyA]).seal('cache', 'ctx');
    const rotated = createSealedBox([keyB, keyA]);
    expect(rotated.open(old, 'ctx')).toBe('cache');
    expect(rotated.seal('cache', 'ctx').keyId).toBe('b');
  });
});
