import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/core-auth';
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import type { TenantToken } from '../azure/identity-platform.ts';
import type { SealedBox } from '../platform/crypto/sealed-box.ts';
import { type IdentityCredential, secretContext } from './model.ts';
import { type AutomationTokenFailure, classifyIdentityError, describe } from './token-failure.ts';

/** App-only tokens for Resource Manager: the `.default` scope of the client-credentials grant. */
export const ARM_APP_SCOPE = 'https://management.azure.com/.default';

export type AutomationTokenOutcome =
  | { ok: true; value: TenantToken }
  | { ok: false; failure: AutomationTokenFailure };

/** The port: a Resource Manager token acting as an automation identity. Failures are values. */
export interface AutomationTokens {
  token(credential: IdentityCredential): Promise<AutomationTokenOutcome>;
}

export interface AutomationTokenOptions {
  /** `AZURE_AUTHORITY_HOST`: Microsoft's, or the sandbox's. */
  authorityHost: string;
  sealedBox: Pick<SealedBox, 'open'>;
  /** `PAL_SP_*` variables from the configuration (credential `secret_env`). */
  secrets: Record<string, string>;
  /** The identity library's own retries of transient answers (tests shorten them). */
  retry?: { maxRetries?: number; retryDelayInMs?: number };
}

/** Hosts MSAL knows; anything else (the sandbox, a test double) skips instance discovery. */
const MICROSOFT_AUTHORITIES = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/**
 * Tokens through `@azure/identity`: `ClientSecretCredential`, `ClientCertificateCredential`, or
 * `DefaultAzureCredential` for the service's own identity in the partner's tenant. A credential is
 * built for every request on purpose: the library caches tokens per instance, and a cached token
 * would hide a secret that expired or an app that was deleted since — as `forceRefresh` does for
 * consultants. The sandbox's CA is trusted process-wide (azure/trust.ts), so no option is needed.
 */
export function createAutomationTokens(options: AutomationTokenOptions): AutomationTokens {
  const host = options.authorityHost.replace(/\/+$/, '');
  const common = {
    authorityHost: host,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITIES.has(new URL(host).hostname.toLowerCase()),
    ...(options.retry ? { retryOptions: options.retry } : {}),
  };

  const build = async (
    c: IdentityCredential,
  ): Promise<{ ok: true; credential: TokenCredential } | { ok: false; failure: AutomationTokenFailure }> => {
    const problem = (kind: 'secret_missing' | 'certificate_unreadable', message: string) => ({
      ok: false as const,
      failure: { kind, aadsts: undefined, errorCode: kind, message: describe(kind, c, message) },
    });
    switch (c.kind) {
      case 'secret': {
        const secret = c.sealedSecret
          ? options.sealedBox.open(c.sealedSecret, secretContext(c.id))
          : undefined;
        if (!secret) {
          return problem(
            'secret_missing',
            'The stored client secret cannot be decrypted (its encryption key is no longer configured): give PAL Manager the secret again.',
          );
        }
        return { ok: true, credential: new ClientSecretCredential(c.tenantId, c.clientId, secret, common) };
      }
      case 'secret_env': {
        const secret = c.secretEnv ? options.secrets[c.secretEnv] : undefined;
        if (!secret) {
          return problem(
            'secret_missing',
            `The environment variable ${c.secretEnv ?? '(none)'} that should hold the client secret is not set in this process.`,
          );
        }
        return { ok: true, credential: new ClientSecretCredential(c.tenantId, c.clientId, secret, common) };
      }
      case 'certificate': {
        const read = await readCertificate(c.certificatePath);
        if (!read.ok) return problem('certificate_unreadable', read.message);
        return {
          ok: true,
          credential: new ClientCertificateCredential(
            c.tenantId,
            c.clientId,
            { certificate: read.pem },
            common,
          ),
        };
      }
      case 'managed_identity':
        return {
          ok: true,
          credential: new DefaultAzureCredential({
            ...common,
            tenantId: c.tenantId,
            managedIdentityClientId: c.clientId,
          }),
        };
    }
  };

  return {
    async token(c) {
      const built = await build(c);
      if (!built.ok) return built;
      let accessToken: { token: string; expiresOnTimestamp: number } | null;
      try {
        accessToken = await built.credential.getToken(ARM_APP_SCOPE);
      } catch (error) {
        return { ok: false, failure: classifyIdentityError(error, c) };
      }
      if (!accessToken) {
        return { ok: false, failure: classifyIdentityError(new Error('no token was returned'), c) };
      }
      const claims = tokenClaims(accessToken.token);
      if (claims.tid?.toLowerCase() !== c.tenantId.toLowerCase() || !claims.oid) {
        // A token for another tenant would link (or check) the wrong service principal.
        return {
          ok: false,
          failure: {
            kind: 'unknown',
            aadsts: undefined,
            errorCode: 'tenant_mismatch',
            message: `Expected a token for tenant ${c.tenantId}, got one for ${claims.tid ?? 'no tenant'}`,
          },
        };
      }
      return {
        ok: true,
        value: {
          token: { token: accessToken.token, expiresOnTimestamp: accessToken.expiresOnTimestamp },
          tenantId: claims.tid,
          objectId: claims.oid,
        },
      };
    },
  };
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

/**
 * The PEM file a certificate credential names: it must exist and hold both the private key and the
 * certificate. Read on every use, so a renewed file is picked up; never quoted in a message.
 */
export async function readCertificate(
  path: string | null,
): Promise<{ ok: true; pem: string } | { ok: false; message: string }> {
  if (!path) return { ok: false, message: 'No certificate file is configured for this identity.' };
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : 'it cannot be read';
    return { ok: false, message: `The certificate file ${path} cannot be used: ${why}.` };
  }
  if (!CERTIFICATE.test(pem) || !PRIVATE_KEY.test(pem)) {
    return {
      ok: false,
      message: `The certificate file ${path} must be PEM holding both the private key (unencrypted) and the certificate.`,
    };
  }
  return { ok: true, pem };
}

/** `tid`/`oid` of an access token, unverified: the issuer vouched for it; we only route on it. */
function tokenClaims(token: string): { tid?: string; oid?: string } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return { tid: payload.tid, oid: payload.oid };
  } catch {
    return {};
  }
}
