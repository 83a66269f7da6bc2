import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import type { SandboxServicePrincipal } from '../world/model.ts';

/** Client-secret digests: the world file never holds a secret in clear. */
export const secretDigest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The few characters Microsoft shows of a secret (`hint`), so a list can tell them apart. */
export const secretHint = (secret: string) => secret.slice(0, 3);

export type ClientAuthentication = { ok: true } | { ok: false; code: number };

/**
 * Client authentication for a service principal, as the identity platform answers it: a secret that
 * matches only an expired one → 7000222; no match → 7000215; neither secret nor assertion → 7000218;
 * an assertion no registered certificate verifies → 700027.
 */
export async function authenticateServicePrincipal(
  sp: SandboxServicePrincipal,
  presented: { secret: string | undefined; assertion: string | undefined; tokenEndpoint: string },
  now: Date,
): Promise<ClientAuthentication> {
  if (presented.assertion) return verifyAssertion(sp, presented.assertion, presented.tokenEndpoint, now);
  if (!presented.secret) return { ok: false, code: 7000218 };
  const digest = Buffer.from(secretDigest(presented.secret), 'hex');
  const matching = sp.secrets.filter((s) => {
    const stored = Buffer.from(s.sha256, 'hex');
    return stored.length === digest.length && timingSafeEqual(stored, digest);
  });
  if (matching.length === 0) return { ok: false, code: 7000215 };
  if (!matching.some((s) => new Date(s.expiresAt) > now)) return { ok: false, code: 7000222 };
  return { ok: true };
}

/** A `client_assertion` (private_key_jwt): signed by a registered certificate's key, for this client. */
async function verifyAssertion(
  sp: SandboxServicePrincipal,
  assertion: string,
  tokenEndpoint: string,
  now: Date,
): Promise<ClientAuthentication> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return { ok: false, code: 700027 };
  }
  const wanted = header['x5t#S256'] ?? header.x5t;
  for (const certificate of sp.certificates) {
    if (new Date(certificate.expiresAt) <= now) continue;
    const der = new X509Certificate(certificate.pem).raw;
    const thumbprints = [
      createHash('sha256').update(der).digest('base64url'),
      createHash('sha1').update(der).digest('base64url'),
    ];
    if (wanted && !thumbprints.includes(String(wanted))) continue;
    try {
      const key = await importX509(certificate.pem, String(header.alg ?? 'RS256'));
      const { payload } = await compactVerify(assertion, key);
      const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
      const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      const fresh = typeof claims.exp === 'number' && claims.exp * 1000 > now.getTime() - 300_000;
      const forUs =
        String(claims.iss).toLowerCase() === sp.clientId.toLowerCase() &&
        String(claims.sub).toLowerCase() === sp.clientId.toLowerCase() &&
        audience.some((a) => String(a).toLowerCase() === tokenEndpoint.toLowerCase());
      if (fresh && forUs) return { ok: true };
    } catch {
      // Not this certificate's key (or a malformed assertion): try the next one.
    }
  }
  return { ok: false, code: 700027 };
}

/** Fixed seed apps, so the README, the demo and the tests name the same ones. */
export const SEED_SERVICE_PRINCIPALS = {
  fabrikamPipeline: {
    clientId: '5e0a11ce-0001-4f00-8000-fab0000005e1',
    objectId: '5e0b1ec7-0001-4f00-8000-fab0000005e1',
    displayName: 'Fabrikam deployment pipeline',
    /** Sandbox only, and documented as such: what a newcomer registers with. */
    secret: 'sbx-fabrikam-pipeline-secret',
  },
  partnerAutomation: {
    clientId: '5e0a11ce-0002-4f00-8000-c0570000005e',
    objectId: '5e0b1ec7-0002-4f00-8000-c0570000005e',
    displayName: 'Contoso managed services (Lighthouse)',
    secret: 'sbx-partner-automation-secret',
  },
} as const;
