import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../platform/config/index.ts';
import { keyFingerprint } from '../platform/config/schema.ts';
import type { Logger } from '../platform/logger.ts';
import type { DemoInvitation } from './demo.ts';
import { type RunningSandbox, startSandbox } from './server.ts';

export interface PreparedSandbox {
  running: RunningSandbox;
  /** The configuration pointed at the sandbox, with the secrets it generated filled in. */
  config: Config;
  /** Prints what a newcomer should open. */
  announce(out: NodeJS.WritableStream, invitations: DemoInvitation[]): void;
}

/**
 * Starts the sandbox and points the service at it. Only the authority host, the Resource Manager
 * endpoint, the app's secret and the trusted CA change; the production code runs as it is.
 */
export async function prepareSandbox(config: Config, logger: Logger): Promise<PreparedSandbox> {
  if (!config.sandbox.enabled) throw new Error('the sandbox is disabled by configuration');
  const dir = join(config.dataDir, 'sandbox');
  mkdirSync(dir, { recursive: true });
  const running = await startSandbox({
    dir,
    port: config.sandbox.port,
    // The browser-facing pages sit on the next port (0 stays 0: any free port).
    browserPort: config.sandbox.port === 0 ? 0 : config.sandbox.port + 1,
    partner: {
      tenantId: config.azure.tenantId,
      name: config.partner.name,
      locationIds: config.partner.locations.map((l) => l.id),
    },
    clientId: config.azure.clientId,
    logger,
  });
  const tokenKey =
    config.tokenEncryptionKeys.length > 0
      ? config.tokenEncryptionKeys
      : [
          toKey(
            persistedSecret(join(dir, 'token-encryption-key.txt'), () => randomBytes(32).toString('base64')),
          ),
        ];
  const adminApiToken =
    config.adminApiToken ??
    persistedSecret(
      join(dir, 'admin-api-token.txt'),
      () => `pal_sbx_${randomBytes(24).toString('base64url')}`,
    );
  const sandboxConfig: Config = {
    ...config,
    azure: {
      ...config.azure,
      authorityHost: running.url,
      browserAuthorityHost: running.browserUrl,
      armEndpoint: running.url,
      clientSecret: running.clientSecret,
      clientCertificatePath: undefined,
    },
    tokenEncryptionKeys: tokenKey,
    adminApiToken,
  };
  logger.info({ url: running.url }, 'sandbox identity platform and Resource Manager are running');
  return {
    running,
    config: sandboxConfig,
    announce(out, invitations) {
      const base = config.publicBaseUrl;
      out.write(
        [
          '',
          '  PAL Manager is running as the SANDBOX (no Azure app registration is configured).',
          '',
          `  Service:            ${base}`,
          `  Health:             ${base}/healthz`,
          `  Admin API token:    ${adminApiToken}   (sandbox only; kept in ${join(dir, 'admin-api-token.txt')})`,
          `  Simulated Microsoft: ${running.url}  (control API: ${running.url}/_sandbox/control/world)`,
          '',
          '  Ready-made invitations (open one, press Continue, pick the account):',
          ...invitations.map((i) => `    ${i.displayName.padEnd(20)} ${i.url}`),
          '',
        ].join('\n'),
      );
    },
  };
}

function persistedSecret(file: string, generate: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = generate();
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

function toKey(base64: string) {
  const key = Buffer.from(base64, 'base64');
  return { id: keyFingerprint(key), key };
}
