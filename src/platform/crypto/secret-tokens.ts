import {
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { EncryptionKey } from '../config/index.ts';

/** 256 bits from the CSPRNG, URL-safe: the bearer part of invitation links and API tokens. */
export function newSecretToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * Hashes secret tokens for storage: HMAC-SHA-256 under a pepper derived from the server's keys, so a
 * stolen database alone cannot confirm a guessed token. Every configured key yields a pepper; hashing
 * with all of them lets tokens issued before a key rotation still be found.
 */
export interface TokenHasher {
  /** The hash to store for a new token (under the current key). */
  hash(token: string): string;
  /** Every hash the token may be stored under (current key first). */
  candidates(token: string): string[];
}

export function createTokenHasher(keys: EncryptionKey[]): TokenHasher {
  if (keys.length === 0) throw new Error('token hashing needs at least one key');
  // Key objects, not buffers: HMAC with a raw buffer builds a key object on every call (several times
  // slower, and a bulk send hashes one token per invitation).
  const peppers = keys.map(({ key }) =>
    createSecretKey(
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pal-manager/secret-token-pepper', 32)),
    ),
  );
  const hmac = (pepper: KeyObject, token: string) =>
    createHmac('sha256', pepper).update(token, 'utf8').digest('hex');
  return {
    hash: (token) => hmac(peppers[0]!, token),
    candidates: (token) => peppers.map((pepper) => hmac(pepper, token)),
  };
}

/** Compares two secrets in constant time (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
