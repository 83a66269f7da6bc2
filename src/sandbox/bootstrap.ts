import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../platform/config/index.ts';
import { keyFingerprint } from '../platform/config/schema.ts';
import type { Logger } from '../platform/logger.ts';
import type { DemoInvitation } from './demo.ts';
import { type RunningSandbox, startSandbox } from './server.ts';

export interface PreparedSandbox {
  /** Undefined when another instance on this machine runs the sandbox and this one uses it. */
  running: RunningSandbox | undefined;
  /** The CA the sandbox's certificate comes from, trusted for outbound calls. */
  caPem: string;
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
  const dir = sandboxDir(config);
  mkdirSync(dir, { recursive: true });
  let running: RunningSandbox;
  try {
    running = await startSandbox({
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
  } catch (error) {
    // A second instance on one machine (trying out scale-out): use the first one's sandbox.
    const attached =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? attachToSandbox(config) : undefined;
    if (!attached?.caPem) throw error;
    logger.info({ port: config.sandbox.port }, 'another instance runs the sandbox on this port; using it');
    return {
      running: undefined,
      caPem: attached.caPem,
      config: attached.config,
      announce(out) {
        out.write(
          `\n  PAL Manager is running beside another instance, sharing its SANDBOX: ${config.publicBaseUrl}\n\n`,
        );
      },
    };
  }
  const sandboxConfig = withSandbox(config, running);
  const adminApiToken = sandboxConfig.adminApiToken;
  logger.info({ url: running.url }, 'sandbox identity platform and Resource Manager are running');
  return {
    running,
    caPem: running.caPem,
    config: sandboxConfig,
    announce(out, invitations) {
      const base = config.publicBaseUrl;
      out.write(
        [
          '',
          '  PAL Manager is running as the SANDBOX (no Azure app registration is configured).',
          '',
          `  Console:            ${base}/console   (sign in as ${config.adminEmails[0] ?? 'an admin'} on the simulated account picker)`,
          `  Service:            ${base}`,
          `  Health:             ${base}/healthz`,
          ...(config.mail.smtpUrl
            ? []
            : [
                `  Mailbox:            ${base}/sandbox/mailbox   (mail is written to ${join(config.dataDir, 'outbox')})`,
              ]),
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

/**
 * The configuration as the service uses it with the sandbox: the sandbox's endpoints and app secret,
 * and the secrets generated for it on first run (kept in DATA_DIR/sandbox so restarts, and the CLI,
 * use the same ones).
 */
export function withSandbox(
  config: Config,
  sandbox: { url: string; browserUrl: string; clientSecret: string },
): Config {
  const dir = sandboxDir(config);
  mkdirSync(dir, { recursive: true });
  const tokenEncryptionKeys =
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
  return {
    ...config,
    azure: {
      ...config.azure,
      authorityHost: sandbox.url,
      browserAuthorityHost: sandbox.browserUrl,
      armEndpoint: sandbox.url,
      clientSecret: sandbox.clientSecret,
      clientCertificatePath: undefined,
    },
    tokenEncryptionKeys,
    adminApiToken,
  };
}

/**
 * For the CLI beside a running server: the same configuration and trusted CA the server's sandbox
 * uses, read from DATA_DIR/sandbox without starting another one.
 */
export function attachToSandbox(config: Config): { config: Config; caPem: string | undefined } {
  const dir = sandboxDir(config);
  const read = (name: string) =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').trim() : undefined;
  const port = config.sandbox.port;
  const attached = withSandbox(config, {
    url: `https://localhost:${port}`,
    browserUrl: `http://localhost:${port + 1}`,
    clientSecret: read('app-secret.txt') ?? 'sandbox-not-started',
  });
  return { config: attached, caPem: read('ca.pem') };
}

const sandboxDir = (config: Config) => join(config.dataDir, 'sandbox');

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
