import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/**
 * The sandbox identity platform's signing key. ID tokens, access tokens and refresh tokens are all
 * RS256 JWTs signed with it; Resource Manager verifies access tokens with the public half. The key
 * is kept on disk so tokens (and the refresh tokens in the service's cache) survive a restart.
 */
export interface SandboxKeys {
  kid: string;
  publicJwk: JWK;
  sign(
    claims: JWTPayload,
    options: { issuedAt: Date; expiresInSeconds: number; type?: string },
  ): Promise<string>;
  /** Verifies signature and expiry at `now`; returns the claims or undefined. */
  verify(token: string, now: Date): Promise<JWTPayload | undefined>;
}

export async function loadOrCreateSigningKeys(file: string | undefined): Promise<SandboxKeys> {
  let stored: { kid: string; privateJwk: JWK } | undefined;
  if (file && existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
  if (!stored) {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    stored = { kid: randomUUID().replace(/-/g, '').slice(0, 20), privateJwk: await exportJWK(privateKey) };
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    }
  }
  const { kid, privateJwk } = stored;
  const privateKey = await importJWK({ ...privateJwk, alg: 'RS256' }, 'RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const publicKey = await importJWK({ ...publicJwk, alg: 'RS256' }, 'RS256');
  return {
    kid,
    publicJwk: { ...publicJwk, kid, use: 'sig', alg: 'RS256' },
    async sign(claims, { issuedAt, expiresInSeconds, type = 'JWT' }) {
      const iat = Math.floor(issuedAt.getTime() / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: type })
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + expiresInSeconds)
        .sign(privateKey);
    },
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, publicKey, { currentDate: now, algorithms: ['RS256'] });
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
