import { Cron } from 'croner';
import { z } from 'zod';
import { isPartnerIdShape, type PartnerLocation, parseLocationList } from './partner-ids.ts';
import { SANDBOX_DEFAULTS } from './sandbox-defaults.ts';
import { type DatabaseTarget, parseDatabaseUrl, parseEncryptionKeys } from './value-parsers.ts';

export type DatabaseConfig = { kind: 'sqlite'; file: string } | PostgresConfig;

/** libpq's `sslmode` values we can honour (`prefer` and `allow` would need a silent fallback). */
export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface PostgresConfig {
  kind: 'postgres';
  /** The URL as pg reads it: `sslmode` and `schema` are taken out (we apply them ourselves). */
  url: string;
  sslMode: PostgresSslMode;
  /** `?schema=` in the URL: PAL Manager's tables live there (created if missing) instead of `public`. */
  schema: string | undefined;
  /** Connections this instance may hold: instances × pool size must stay under `max_connections`. */
  poolSize: number;
  /** PEM of the certificate authority that signed the server's certificate (`DATABASE_CA_PATH`). */
  caPath: string | undefined;
}

export interface EncryptionKey {
  /** Stored beside each ciphertext so an old key can still decrypt after rotation. */
  id: string;
  key: Buffer;
}

export interface Config {
  port: number;
  publicBaseUrl: string;
  database: DatabaseConfig;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  azure: {
    tenantId: string;
    clientId: string;
    clientSecret: string | undefined;
    clientCertificatePath: string | undefined;
    authorityHost: string;
    /** Where a person's browser reaches the identity platform (admin-consent links); the sandbox serves it over HTTP. */
    browserAuthorityHost: string;
    armEndpoint: string;
  };
  partner: { name: string; globalId: string; locations: PartnerLocation[] };
  mail: { smtpUrl: string | undefined; from: string };
  adminEmails: string[];
  adminApiToken: string | undefined;
  /** The first key encrypts; all of them decrypt. Empty only in the sandbox until it generates one. */
  tokenEncryptionKeys: EncryptionKey[];
  healthCheckSchedule: string;
  /** Associations the health check checks at once. */
  healthCheckConcurrency: number;
  invitationTtlDays: number;
  /** Reminder mails for invitations not completed: after how many days, and how many at most. */
  reminders: { afterDays: number; max: number };
  alertWebhookUrl: string | undefined;
  /** After a health check: re-invite consultants whose link needs them (at most once per `minDays`). */
  autoReinvite: { enabled: boolean; minDays: number };
  /** Mail the admin digest after every run, even when nothing changed. */
  digestAlways: boolean;
  sandbox: { enabled: boolean; port: number };
  /**
   * Background jobs (health-check fan-out): pg-boss on PostgreSQL, shared by every instance; the
   * in-process queue otherwise. `heartbeatSeconds`: how long a crashed instance's jobs wait before
   * another instance takes them.
   */
  jobs: { queue: 'pg-boss' | 'in-process'; heartbeatSeconds: number };
  /**
   * `PAL_SP_*` variables: client secrets of automation identities registered to read theirs from the
   * environment (credential `secret_env`). Only this prefix, so no registration can name the
   * service's own settings (TOKEN_ENCRYPTION_KEY, AZURE_CLIENT_SECRET) as a "secret" to send away.
   */
  automationSecrets: Record<string, string>;
}

const DEFAULT_DATABASE_URL = 'sqlite:data/pal-manager.db';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => ['', '1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(value), {
    error: 'use true or false',
  })
  .transform((value) => (value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(value)))
  .optional();

const httpsUrl = (what: string) =>
  z
    .url({ protocol: /^https$/, error: `must be an https:// URL (${what})` })
    .transform((value) => value.replace(/\/+$/, ''));

const emailList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email({ error: (issue) => `${String(issue.input)} is not an email address` })));

/** Field-level rules: each variable on its own. Rules that relate variables are in `crossProblems`. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((value, ctx) => {
      const parsed = parseDatabaseUrl(value);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CA_PATH: optionalText,
  DATA_DIR: z.string().trim().min(1).default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AZURE_TENANT_ID: optionalText,
  AZURE_CLIENT_ID: optionalText,
  AZURE_CLIENT_SECRET: optionalText,
  AZURE_CLIENT_CERTIFICATE_PATH: optionalText,
  AZURE_AUTHORITY_HOST: httpsUrl('the identity platform').default('https://login.microsoftonline.com'),
  ARM_ENDPOINT: httpsUrl('Azure Resource Manager').default('https://management.azure.com'),
  PARTNER_NAME: optionalText,
  PARTNER_LOCATION_IDS: optionalText,
  PARTNER_GLOBAL_ID: optionalText.refine((value) => value === undefined || isPartnerIdShape(value), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a partner ID (4 to 10 digits)`,
  }),
  SMTP_URL: optionalText.refine((value) => value === undefined || /^smtps?:\/\/\S+$/.test(value), {
    error: 'must start with smtp:// or smtps://',
  }),
  MAIL_FROM: optionalText,
  ADMIN_EMAILS: emailList.optional(),
  ADMIN_API_TOKEN: optionalText.refine((value) => value === undefined || value.length >= 24, {
    error: 'too short to be secret: use at least 24 characters (openssl rand -hex 24)',
  }),
  TOKEN_ENCRYPTION_KEY: optionalText.superRefine((value, ctx) => {
    const keys = value === undefined ? [] : parseEncryptionKeys(value);
    if (typeof keys === 'string') ctx.addIssue({ code: 'custom', message: keys });
  }),
  HEALTH_CHECK_SCHEDULE: z
    .string()
    .trim()
    .default('0 5 * * *')
    .refine(isCronExpression, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a cron expression (e.g. "0 5 * * *")`,
    }),
  HEALTH_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  REMINDER_AFTER_DAYS: z.coerce.number().int().min(0).max(90).default(3),
  REMINDER_MAX: z.coerce.number().int().min(0).max(10).default(2),
  ALERT_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  AUTO_REINVITE: flag,
  REINVITE_MIN_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  DIGEST_ALWAYS: flag,
  JOB_QUEUE: optionalText.pipe(
    z.enum(['pg-boss', 'in-process'], { error: 'use pg-boss or in-process' }).optional(),
  ),
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(600).default(30),
  SANDBOX: flag,
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(SANDBOX_DEFAULTS.port),
});

type RawEnv = Record<string, string | undefined>;

const present = (env: RawEnv, variable: string) => (env[variable] ?? '').trim() !== '';

/**
 * Rules that relate variables to each other, checked on the raw strings so they are reported even
 * when some single variable is also wrong: the operator sees every problem in one go.
 */
function crossProblems(env: RawEnv): string[] {
  const problems: string[] = [];
  const flagValue = env.SANDBOX?.trim().toLowerCase();
  const sandboxFlag = flagValue ? ['1', 'true', 'yes', 'on'].includes(flagValue) : undefined;
  const sandbox = sandboxFlag ?? !present(env, 'AZURE_CLIENT_ID');
  if (sandboxFlag === true && present(env, 'AZURE_CLIENT_ID')) {
    problems.push(
      'SANDBOX: the sandbox never runs with a real app registration; unset AZURE_CLIENT_ID or SANDBOX',
    );
  }
  if (!sandbox) {
    for (const variable of [
      'AZURE_CLIENT_ID',
      'AZURE_TENANT_ID',
      'PARTNER_NAME',
      'PARTNER_GLOBAL_ID',
      'PARTNER_LOCATION_IDS',
    ]) {
      if (!present(env, variable)) problems.push(`${variable}: required when the sandbox is off`);
    }
    if (!present(env, 'AZURE_CLIENT_SECRET') && !present(env, 'AZURE_CLIENT_CERTIFICATE_PATH')) {
      problems.push(
        'AZURE_CLIENT_SECRET: set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH for the app registration',
      );
    }
    if (!present(env, 'TOKEN_ENCRYPTION_KEY')) {
      problems.push(
        'TOKEN_ENCRYPTION_KEY: required when the sandbox is off (32 random bytes, base64: openssl rand -base64 32)',
      );
    }
  }
  if (present(env, 'DATABASE_CA_PATH')) {
    const target = parseDatabaseUrl(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL);
    if (typeof target !== 'string' && (target.kind === 'sqlite' || target.sslMode === 'disable')) {
      problems.push(
        'DATABASE_CA_PATH: only used over TLS; add sslmode=verify-full to the postgres:// DATABASE_URL',
      );
    }
  }
  if (env.JOB_QUEUE?.trim() === 'pg-boss') {
    const target = parseDatabaseUrl(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL);
    if (typeof target !== 'string' && target.kind === 'sqlite')
      problems.push('JOB_QUEUE: pg-boss needs a postgres:// DATABASE_URL (SQLite uses the in-process queue)');
  }
  const globalId = env.PARTNER_GLOBAL_ID?.trim() || (sandbox ? SANDBOX_DEFAULTS.globalId : undefined);
  const locations = env.PARTNER_LOCATION_IDS?.trim() || (sandbox ? SANDBOX_DEFAULTS.locations : undefined);
  if (locations !== undefined) {
    const parsed = parseLocationList(locations, globalId);
    if (!parsed.ok) problems.push(...parsed.problems.map((message) => `PARTNER_LOCATION_IDS: ${message}`));
  }
  return problems;
}

function isCronExpression(value: string): boolean {
  try {
    new Cron(value, { paused: true });
    return true;
  } catch {
    return false;
  }
}

type Env = z.infer<typeof envSchema>;

function isSandbox(env: Pick<Env, 'SANDBOX' | 'AZURE_CLIENT_ID'>): boolean {
  return env.SANDBOX ?? !env.AZURE_CLIENT_ID;
}

export { keyFingerprint, parseDatabaseUrl, parseEncryptionKeys } from './value-parsers.ts';

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses the environment once. Problems come back as readable lines, `VARIABLE: what is wrong`. */
export function parseConfig(env: RawEnv): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`)),
    ...crossProblems(env),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { ...toConfig(parsed.data), automationSecrets: automationSecrets(env) } };
}

function toDatabaseConfig(target: DatabaseTarget, env: Env): DatabaseConfig {
  if (target.kind === 'sqlite') return target;
  return { ...target, poolSize: env.DATABASE_POOL_SIZE, caPath: env.DATABASE_CA_PATH };
}

const AUTOMATION_SECRET_PREFIX = 'PAL_SP_';

function automationSecrets(env: RawEnv): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(AUTOMATION_SECRET_PREFIX) && typeof value === 'string' && value) found[name] = value;
  }
  return found;
}

function toConfig(env: Env): Omit<Config, 'automationSecrets'> {
  const sandbox = isSandbox(env);
  const globalId = env.PARTNER_GLOBAL_ID ?? SANDBOX_DEFAULTS.globalId;
  const locations = parseLocationList(env.PARTNER_LOCATION_IDS ?? SANDBOX_DEFAULTS.locations, globalId);
  const keys = env.TOKEN_ENCRYPTION_KEY ? parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEY) : [];
  return {
    port: env.PORT,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    database: toDatabaseConfig(parseDatabaseUrl(env.DATABASE_URL) as DatabaseTarget, env),
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
    azure: {
      tenantId: env.AZURE_TENANT_ID ?? SANDBOX_DEFAULTS.tenantId,
      clientId: env.AZURE_CLIENT_ID ?? SANDBOX_DEFAULTS.clientId,
      clientSecret: env.AZURE_CLIENT_SECRET,
      clientCertificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH,
      authorityHost: env.AZURE_AUTHORITY_HOST,
      browserAuthorityHost: env.AZURE_AUTHORITY_HOST,
      armEndpoint: env.ARM_ENDPOINT,
    },
    partner: {
      name: env.PARTNER_NAME ?? SANDBOX_DEFAULTS.partnerName,
      globalId,
      locations: locations.ok ? locations.locations : [],
    },
    mail: {
      smtpUrl: env.SMTP_URL,
      from:
        env.MAIL_FROM ?? `${env.PARTNER_NAME ?? SANDBOX_DEFAULTS.partnerName} PAL <pal-manager@localhost>`,
    },
    adminEmails: env.ADMIN_EMAILS ?? (sandbox ? [SANDBOX_DEFAULTS.adminEmails] : []),
    adminApiToken: env.ADMIN_API_TOKEN,
    tokenEncryptionKeys: Array.isArray(keys) ? keys : [],
    healthCheckSchedule: env.HEALTH_CHECK_SCHEDULE,
    healthCheckConcurrency: env.HEALTH_CHECK_CONCURRENCY,
    invitationTtlDays: env.INVITATION_TTL_DAYS,
    reminders: { afterDays: env.REMINDER_AFTER_DAYS, max: env.REMINDER_MAX },
    alertWebhookUrl: env.ALERT_WEBHOOK_URL,
    autoReinvite: { enabled: env.AUTO_REINVITE ?? true, minDays: env.REINVITE_MIN_DAYS },
    digestAlways: env.DIGEST_ALWAYS ?? false,
    sandbox: { enabled: sandbox, port: env.SANDBOX_PORT },
    jobs: {
      queue: env.JOB_QUEUE ?? (env.DATABASE_URL.startsWith('postgres') ? 'pg-boss' : 'in-process'),
      heartbeatSeconds: env.JOB_HEARTBEAT_SECONDS,
    },
  };
}
