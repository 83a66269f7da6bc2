import { createHmac, createSecretKey, hkdfSync } from 'node:crypto';
import type { EncryptionKey } from '../platform/config/index.ts';

/**
 * Invitation link tokens are derived, not stored: HMAC-SHA-256 of the invitation's ID under a key
 * derived from the server's key. Nothing in the database can produce a token (rows keep only its hash
 * and the key's ID), yet the outbox can rebuild the exact link at send time — so a message retried
 * after a crash carries the same working link instead of a new one that kills the first.
 */
export function createLinkTokens(keys: EncryptionKey[]) {
  const current = keys[0];
  if (!current) throw new Error('link tokens need at least one key');
  // Key objects, not buffers: HMAC with a raw buffer builds a key object on every call, which made
  // the HMAC several times slower (one per link issued, one per mail sent).
  const linkKeys = new Map(
    keys.map(({ id, key }) => [
      id,
      createSecretKey(
        Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pal-manager/invitation-link', 32)),
      ),
    ]),
  );
  return {
    currentKeyId: current.id,
    /** The token of an invitation, or undefined when its key is no longer configured. */
    tokenFor(invitationId: string, keyId: string): string | undefined {
      const linkKey = linkKeys.get(keyId);
      return linkKey
        ? createHmac('sha256', linkKey).update(`invitation:${invitationId}`).digest('base64url')
        : undefined;
    },
  };
}

export type LinkTokens = ReturnType<typeof createLinkTokens>;
