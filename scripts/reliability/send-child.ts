/**
 * The service's side of the bulk-send fault scenarios, in a process of its own (so it can be
 * SIGKILLed): `create` puts N consultants on the roster and queues a bulk invitation batch, as
 * `POST /api/invitations {"all": true, "send": true}` does; `send` runs the outbox sender a server
 * runs until nothing is left to send. Reads one JSON document on stdin; prints one JSON line.
 *
 * The sender's clock runs `clockSpeed` times faster than real time from `epoch` (shared by every
 * sender process of a scenario): the outbox's back-off (30 s, 1 min, 2 min …) and its claim expiry
 * (2 min) then pass in seconds. Every network timing (SMTP timeouts, the server's faults) is real.
 */
import { text } from 'node:stream/consumers';
import { buildDeps, closeDeps } from '../../src/deps.ts';
import { createBulkInvitations } from '../../src/invitations/bulk.ts';
import { createInvitationService } from '../../src/invitations/service.ts';
import { createMailSender } from '../../src/jobs/background.ts';
import { createOutboxStore } from '../../src/outbox/store.ts';
import { parseConfig } from '../../src/platform/config/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { insertRoster } from '../bench/roster.ts';

export interface SendChildInput {
  mode: 'create' | 'send';
  databaseUrl: string;
  dataDir: string;
  smtpUrl: string;
  /** `create`: the recipients, in order. */
  recipients?: string[];
  epoch: number;
  clockSpeed: number;
}

const input = JSON.parse(await text(process.stdin)) as SendChildInput;
const parsed = parseConfig({
  DATABASE_URL: input.databaseUrl,
  DATABASE_POOL_SIZE: '4',
  DATA_DIR: input.dataDir,
  LOG_LEVEL: 'silent',
  PUBLIC_BASE_URL: 'http://localhost:3000',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  AZURE_CLIENT_SECRET: 'reliability-secret',
  SMTP_URL: input.smtpUrl,
});
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const config = parsed.config;
const clock = {
  now: () => new Date(input.epoch + (Date.now() - input.epoch) * input.clockSpeed),
};
const deps = await buildDeps(config, { logger: createLogger({ level: 'silent' }), clock });
const outbox = createOutboxStore(deps.db);

if (input.mode === 'create') {
  const recipients = input.recipients ?? [];
  const consultants = await insertRoster(deps.db, recipients, config.partner.locations[0]!.id);
  const bulk = createBulkInvitations({
    db: deps.db,
    clock: deps.clock,
    invitations: createInvitationService(deps),
    outbox,
    wake: () => {},
  });
  const batch = await bulk.createBatch({ consultants, tenantId: null, send: true, createdBy: 'reliability' });
  await closeDeps(deps);
  process.stdout.write(`${JSON.stringify({ batchId: batch.batchId })}\n`, () => process.exit(0));
} else {
  const sender = createMailSender(deps, { idleMs: 100 });
  sender.start();
  while ((await outbox.pendingCount()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  await sender.stop();
  await closeDeps(deps);
  process.stdout.write(`${JSON.stringify({ done: true })}\n`, () => process.exit(0));
}
