import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface SandboxTls {
  /** The sandbox's own certificate authority: the service trusts it and nothing else extra. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

const DAY = 86_400_000;

/**
 * A private CA and a localhost certificate it signs, made on first run and kept in `dir`. The real
 * Microsoft clients insist on HTTPS with a trusted certificate, so the sandbox must look the part.
 */
export async function ensureSandboxTls(dir: string | undefined, now = new Date()): Promise<SandboxTls> {
  const files = dir
    ? {
        caPem: join(dir, 'ca.pem'),
        certPem: join(dir, 'localhost.pem'),
        keyPem: join(dir, 'localhost-key.pem'),
      }
    : undefined;
  if (files && Object.values(files).every((file) => existsSync(file))) {
    const existing = {
      caPem: readFileSync(files.caPem, 'utf8'),
      certPem: readFileSync(files.certPem, 'utf8'),
      keyPem: readFileSync(files.keyPem, 'utf8'),
    };
    // Renew a month before expiry rather than fail on the day.
    if (new Date(new X509Certificate(existing.certPem).validTo).getTime() - now.getTime() > 30 * DAY)
      return existing;
  }
  const ca = await generate([{ name: 'commonName', value: 'PAL Manager Sandbox CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: new Date(now.getTime() + 825 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: new Date(now.getTime() + 397 * DAY),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const tls = { caPem: ca.cert, certPem: leaf.cert, keyPem: leaf.private };
  if (!dir || !files) return tls;
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.caPem, tls.caPem);
  writeFileSync(files.certPem, tls.certPem);
  writeFileSync(files.keyPem, tls.keyPem, { mode: 0o600 });
  return tls;
}
