import { ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';
import type { Logger } from '../platform/logger.ts';
import type { AppCredential } from './app-credential.ts';
import { createMsalNetworkClient } from './msal-network.ts';

export interface MsalClientOptions {
  authorityHost: string;
  clientId: string;
  credential: AppCredential;
  logger: Logger;
}

/** The serialized MSAL cache of one operation; the caller keeps it (encrypted) between operations. */
export interface CacheHolder {
  blob: string;
}

/**
 * Builds a short-lived MSAL client per operation around one account's cache, so concurrent sign-ins
 * and checks never share in-memory token state. The tenant's OpenID metadata is fetched once per
 * process and handed to each client, so a new client costs no extra call.
 */
export function createMsalClientFactory(options: MsalClientOptions) {
  const host = options.authorityHost.replace(/\/+$/, '');
  const knownAuthority = new URL(host).host;
  const metadata = new Map<string, Promise<string>>();
  // One transport (and its keep-alive connections) for every short-lived client.
  const networkClient = createMsalNetworkClient();

  const authorityMetadata = (tenant: string): Promise<string> => {
    let pending = metadata.get(tenant);
    if (!pending) {
      pending = fetch(`${host}/${tenant}/v2.0/.well-known/openid-configuration`).then(async (response) => {
        if (!response.ok)
          throw Object.assign(new Error(`OpenID metadata for ${tenant}: HTTP ${response.status}`), {
            errorCode: 'endpoints_resolution_error',
          });
        return response.text();
      });
      // A failed fetch must not be remembered: the next call tries again.
      pending.catch(() => metadata.delete(tenant));
      metadata.set(tenant, pending);
    }
    return pending;
  };

  const client = async (tenant: string, cache: CacheHolder) => {
    const configuration: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${host}/${tenant}`,
        knownAuthorities: [knownAuthority],
        authorityMetadata: await authorityMetadata(tenant),
        ...(options.credential.kind === 'secret'
          ? { clientSecret: options.credential.clientSecret }
          : {
              clientCertificate: {
                thumbprintSha256: options.credential.thumbprintSha256,
                privateKey: options.credential.privateKey,
                x5c: options.credential.x5c,
              },
            }),
      },
      cache: {
        cachePlugin: {
          beforeCacheAccess: async (context) => {
            if (cache.blob) context.tokenCache.deserialize(cache.blob);
          },
          afterCacheAccess: async (context) => {
            if (context.cacheHasChanged) cache.blob = context.tokenCache.serialize();
          },
        },
      },
      system: {
        networkClient,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => options.logger.debug({ component: 'msal' }, message),
        },
      },
    };
    return new ConfidentialClientApplication(configuration);
  };

  return { host, client };
}

export type MsalClientFactory = ReturnType<typeof createMsalClientFactory>['client'];
