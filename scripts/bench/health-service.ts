/**
 * The service side of `npm run bench:health`, as `npm start` builds it against the sandbox: only the
 * authority host, the Resource Manager endpoint, the app secret and the trusted CA point at the
 * simulation. The setup and the measured runs (separate processes) open the same database.
 */
import { buildDeps, type Deps } from '../../src/deps.ts';
import { parseConfig } from '../../src/platform/config/index.ts';
import { createLogger } from '../../src/platform/logger.ts';

export interface SandboxInfo {
  url: string;
  caPem: string;
  clientSecret: string;
}

/** Never contacted: only the OAuth redirect URI is built from it, and the sandbox compares it. */
export const BENCH_PUBLIC_BASE_URL = 'http://localhost:3000';

export async function buildBenchDeps(options: {
  sandbox: SandboxInfo;
  /** `sqlite:<file>` or a postgres:// URL. */
  databaseUrl: string;
  dataDir: string;
  concurrency?: number;
  /** Resource Manager attempt timeout (the service's default, 60 s, when absent). */
  armAttemptTimeoutMs?: number;
  /**
   * Runs this process's clock ahead of real time by this much: a restarted process "later", without
   * the wait (used by `npm run reliability` to resume a run its killed predecessor left).
   */
  clockOffsetMs?: number;
}): Promise<Deps> {
  const parsed = parseConfig({
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: BENCH_PUBLIC_BASE_URL,
    // A fixed key: the setup seals the caches, the runs (other processes) open them.
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    AZURE_CLIENT_SECRET: options.sandbox.clientSecret,
    AZURE_AUTHORITY_HOST: options.sandbox.url,
    ARM_ENDPOINT: options.sandbox.url,
    HEALTH_CHECK_CONCURRENCY: String(options.concurrency ?? 8),
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return buildDeps(parsed.config, {
    logger: createLogger({ level: 'silent' }),
    trustedCa: options.sandbox.caPem,
    ...(options.armAttemptTimeoutMs ? { armAttemptTimeoutMs: options.armAttemptTimeoutMs } : {}),
    ...(options.clockOffsetMs
      ? { clock: { now: () => new Date(Date.now() + (options.clockOffsetMs ?? 0)) } }
      : {}),
    // The notifications (digest mail, re-invites) are not part of the check being measured.
    onRunFinished: async () => {},
  });
}
