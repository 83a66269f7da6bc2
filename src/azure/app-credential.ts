import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type AppCredential =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; thumbprintSha256: string; privateKey: string; x5c: string };

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PRIVATE_KEY =
  /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/**
 * The app registration's credential: a secret, or a PEM holding the private key and the certificate
 * uploaded to the app registration (sent as x5c so certificate rotation works without re-upload).
 * Throws a readable error when the file is missing or incomplete; start-up reports it.
 */
export function loadAppCredential(options: {
  clientSecret?: string | undefined;
  certificatePath?: string | undefined;
}): AppCredential {
  if (options.certificatePath) {
    let pem: string;
    try {
      pem = readFileSync(options.certificatePath, 'utf8');
    } catch {
      throw new Error(`AZURE_CLIENT_CERTIFICATE_PATH: cannot read ${options.certificatePath}`);
    }
    const certificates = pem.match(CERTIFICATE) ?? [];
    const key = PRIVATE_KEY.exec(pem)?.[0];
    if (certificates.length === 0 || !key) {
      throw new Error('AZURE_CLIENT_CERTIFICATE_PATH: the PEM must hold the private key and the certificate');
    }
    const leaf = new X509Certificate(certificates[0]!);
    // Normalise the key to PKCS#8, which MSAL signs with.
    const privateKey = createPrivateKey(key).export({ format: 'pem', type: 'pkcs8' }).toString();
    return {
      kind: 'certificate',
      thumbprintSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
      privateKey,
      x5c: certificates.join('\n'),
    };
  }
  if (options.clientSecret) return { kind: 'secret', clientSecret: options.clientSecret };
  throw new Error('AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH is required');
}
