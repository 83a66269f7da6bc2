import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutboxStore } from '../../src/outbox/store.ts';
import type { DatabaseConfig } from '../../src/platform/config/index.ts';
import { parseDatabaseUrl } from '../../src/platform/config/schema.ts';
import { migrateToLatest, openDatabase } from '../../src/platform/db/connection.ts';
import { freshSchemaName, postgresUrlWithSchema, TEST_DATABASE_URL } from '../support/test-database.ts';

/** One database reached through two separate connection pools, as two service instances would. */
function sharedDatabaseUrl(): string {
  return TEST_DATABASE_URL
    ? postgresUrlWithSchema(TEST_DATABASE_URL, freshSchemaName())
    : `sqlite:${join(mkdtempSync(join(tmpdir(), 'pal-claims-')), 'shared.db')}`;
}

describe('outbox claims from two senders at once', () => {
  it('hand every message to exactly one sender', async () => {
    const target = parseDatabaseUrl(sharedDatabaseUrl()) as DatabaseConfig;
    const first = openDatabase(target);
    await migrateToLatest(first);
    const second = openDatabase(target);
    try {
      const now = new Date();
      await createOutboxStore(first).enqueue(
        Array.from({ length: 600 }, () => ({
          id: randomUUID(),
          kind: 'digest',
          to_address: 'a@contoso.example',
          subject: 's',
          text_body: 't',
          html_body: 'h',
        })),
        now,
      );
      const claimed: string[] = [];
      const sender = async (db: typeof first, name: string) => {
        const store = createOutboxStore(db);
        for (;;) {
          const rows = await store.claim(name, 25, now, 60_000);
          if (rows.length === 0) return;
          claimed.push(...rows.map((r) => r.id));
        }
      };
      await Promise.all([sender(first, 'a'), sender(second, 'b'), sender(first, 'c'), sender(second, 'd')]);
      expect(claimed).toHaveLength(600);
      expect(new Set(claimed).size).toBe(600);
    } finally {
      await second.destroy();
      await first.destroy();
    }
  });
});
