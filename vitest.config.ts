import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles: ['tests/support/no-network.ts', 'tests/support/test-database-cleanup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: forks keep native modules (better-sqlite3) isolated per worker.
    pool: 'forks',
  },
});
