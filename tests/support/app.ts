import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { type BuildOptions, buildDeps, closeDeps, type Deps } from '../../src/deps.ts';
import { manualClock } from '../../src/platform/clock.ts';
import { type Config, parseConfig } from '../../src/platform/config/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { isolatedDatabaseUrl } from './test-database.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/**
 * A configuration for component tests: sandbox defaults, a database of its own (in-memory SQLite, or a
 * throwaway PostgreSQL schema when `TEST_DATABASE_URL` is set), quiet logs.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const result = parseConfig({
    DATABASE_URL: isolatedDatabaseUrl(),
    // Small pools: a test app needs few connections, and parallel test files share max_connections.
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'silent',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    // Mail written to an outbox folder must not land in the working tree.
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pal-test-')),
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    AZURE_CLIENT_SECRET: 'component-test-secret',
    ...overrides,
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.config;
}

/** Collects every log line the app writes, so tests can prove what never reaches the logs. */
export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination: stream }) };
}

export async function buildTestApp(
  options: {
    config?: Config;
    logger?: Deps['logger'];
    armRetry?: BuildOptions['armRetry'];
    azure?: BuildOptions['azure'];
    mail?: BuildOptions['mail'];
  } = {},
) {
  const clock = manualClock(new Date('2026-11-20T09:00:00Z'));
  const deps = await buildDeps(options.config ?? testConfig(), {
    clock,
    logger: options.logger ?? createLogger({ level: 'silent' }),
    ...(options.armRetry ? { armRetry: options.armRetry } : {}),
    ...(options.azure ? { azure: options.azure } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
  });
  // Jobs stop first (their workers may be mid-check), then mail and the database.
  return { deps, clock, app: createApp(deps), close: () => closeDeps(deps) };
}
