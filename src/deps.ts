import { loadAppCredential } from './azure/app-credential.ts';
import { createArmClient } from './azure/arm-client.ts';
import type { IdentityPlatform } from './azure/identity-platform.ts';
import { createMsalIdentityPlatform } from './azure/msal-identity-platform.ts';
import type { ResourceManager } from './azure/resource-manager.ts';
import { trustCertificateAuthority } from './azure/trust.ts';
import { consoleCallbackUrl } from './console/auth/callback-url.ts';
import { createRunNotifier } from './health/notify/index.ts';
import { noRunFinishedHook, type RunFinishedHook } from './health/report.ts';
import { createJobQueue, type JobQueue } from './jobs/index.ts';
import { createMailTransport, type MailTransport } from './mail/transport.ts';
import { createSignal, type Signal } from './outbox/signal.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config/index.ts';
import { createSealedBox, type SealedBox } from './platform/crypto/sealed-box.ts';
import { createTokenHasher, type TokenHasher } from './platform/crypto/secret-tokens.ts';
import { type Db, migrateToLatest, openDatabase } from './platform/db/connection.ts';
import { type RateLimitStores, rateLimitStores } from './platform/http/rate-limit.ts';
import { newInstanceId } from './platform/instance.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createMetrics, type Metrics } from './platform/metrics.ts';
import { createTemplates, type Templates } from './platform/templates.ts';

/** Everything the capabilities need from the outside world, built once and passed down. */
export interface Deps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  metrics: Metrics;
  /** Hashes invitation and API tokens for storage (never stored in clear). */
  tokenHasher: TokenHasher;
  /** Encrypts token caches and other secrets at rest. */
  sealedBox: SealedBox;
  /** The outside Microsoft systems, behind ports (real adapters by default, fakes in tests). */
  azure: { identity: IdentityPlatform; arm: ResourceManager };
  templates: Templates;
  /** Outgoing mail: SMTP when `SMTP_URL` is set, else `.eml` files in the outbox folder. */
  mail: MailTransport;
  /** Raised when mail is queued, so an outbox sender in this process starts at once. */
  outboxQueued: Signal;
  /** PEM of an extra certificate authority to trust for outbound TLS (the sandbox's own CA). */
  trustedCa: string | undefined;
  lifecycle: { isShuttingDown(): boolean; markShuttingDown(): void };
  /** Told about every finished health-check run (the notifications plug in here; a no-op by default). */
  health: { onRunFinished: RunFinishedHook };
  /** Background jobs shared by the instances (pg-boss on PostgreSQL, in-process otherwise). */
  jobs: JobQueue;
  /** This process among the instances on one database. */
  instanceId: string;
  /** Where rate limits count: the database on PostgreSQL (shared by instances), memory on SQLite. */
  rateLimits: RateLimitStores;
}

export interface BuildOptions {
  logger?: Logger;
  clock?: Clock;
  trustedCa?: string;
  azure?: Partial<Deps['azure']>;
  /** A mail transport to use instead of the configured one (tests pass `createFakeMailTransport()`). */
  mail?: MailTransport;
  /** Outbound retry settings for Resource Manager (tests shorten the waits). */
  armRetry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** How long one Resource Manager attempt may go unanswered (default 60 s; tests shorten it). */
  armAttemptTimeoutMs?: number;
  /** Replaces the default (no-op) hook called after each health-check run. */
  onRunFinished?: RunFinishedHook;
  /** A job queue to use instead of the configured one. */
  jobs?: JobQueue;
}

/** The composition root: server, scheduler and CLI all start here. */
export async function buildDeps(config: Config, options: BuildOptions = {}): Promise<Deps> {
  if (config.tokenEncryptionKeys.length === 0) throw new Error('TOKEN_ENCRYPTION_KEY is required');
  if (options.trustedCa) trustCertificateAuthority(options.trustedCa);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const db = openDatabase(config.database, {
    onConnectionError: (err) => logger.warn({ err }, 'an idle database connection was closed; reconnecting'),
  });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  await syncLocations(db, config, (options.clock ?? systemClock).now());
  const azure = {
    identity:
      options.azure?.identity ??
      createMsalIdentityPlatform({
        authorityHost: config.azure.authorityHost,
        clientId: config.azure.clientId,
        credential: loadAppCredential({
          clientSecret: config.azure.clientSecret,
          certificatePath: config.azure.clientCertificatePath,
        }),
        redirectUri: `${config.publicBaseUrl}/auth/callback`,
        admin: { tenantId: config.azure.tenantId, redirectUri: consoleCallbackUrl(config) },
        logger,
      }),
    arm:
      options.azure?.arm ??
      createArmClient({
        endpoint: config.azure.armEndpoint,
        retry: options.armRetry,
        ...(options.armAttemptTimeoutMs ? { attemptTimeoutMs: options.armAttemptTimeoutMs } : {}),
      }),
  };
  const clock = options.clock ?? systemClock;
  const mail = options.mail ?? createMailTransport(config, { logger, clock });
  let shuttingDown = false;
  const deps: Deps = {
    config,
    logger,
    clock,
    db,
    metrics: createMetrics(),
    tokenHasher: createTokenHasher(config.tokenEncryptionKeys),
    sealedBox: createSealedBox(config.tokenEncryptionKeys),
    azure,
    templates: createTemplates(),
    mail,
    outboxQueued: createSignal(),
    trustedCa: options.trustedCa,
    lifecycle: {
      isShuttingDown: () => shuttingDown,
      markShuttingDown: () => {
        shuttingDown = true;
      },
    },
    health: { onRunFinished: options.onRunFinished ?? noRunFinishedHook },
    jobs: options.jobs ?? createJobQueue(config, logger),
    instanceId: newInstanceId(),
    rateLimits: rateLimitStores({ db, clock, database: config.database }),
  };
  // The notifier needs the finished deps (outbox, mail, invitations), so it is plugged in last.
  if (!options.onRunFinished) deps.health.onRunFinished = createRunNotifier(deps);
  return deps;
}

/** The configured partner locations are the source of truth; the table mirrors them for joins. */
async function syncLocations(db: Db, config: Config, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('locations').set({ is_default: 0 }).execute();
    for (const location of config.partner.locations) {
      await trx
        .insertInto('locations')
        .values({
          id: location.id,
          label: location.label,
          is_default: location.isDefault ? 1 : 0,
          created_at: now.toISOString(),
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ label: location.label, is_default: location.isDefault ? 1 : 0 }),
        )
        .execute();
    }
  });
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.jobs.stop();
  await deps.mail.close();
  await deps.db.destroy();
}
