import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config/index.ts';

/** A ciphertext with the ID of the key that made it, as stored in the database. */
export interface Sealed {
  keyId: string;
  /** base64 of iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext. */
  data: string;
}

export interface SealedBox {
  seal(plaintext: string, context: string): Sealed;
  /** Undefined when the key is unknown or the data was altered (the GCM tag does not verify). */
  open(sealed: Sealed, context: string): string | undefined;
  /** The ID new data is sealed under; data under another ID should be re-sealed. */
  currentKeyId: string;
}

/**
 * AES-256-GCM for secrets at rest (MSAL token caches with refresh tokens, client secrets). `context`
 * is bound in as additional authenticated data, so a blob copied to another row does not open.
 */
export function createSealedBox(keys: EncryptionKey[]): SealedBox {
  const current = keys[0];
  if (!current) throw new Error('encryption needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    currentKeyId: current.id,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: current.id, data: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
    },
    open(sealed, context) {
      const key = byId.get(sealed.keyId);
      if (!key) return undefined;
      const raw = Buffer.from(sealed.data, 'base64');
      if (raw.length < 28) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
