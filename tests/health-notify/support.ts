import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createRunNotifier } from '../../src/health/notify/index.ts';
import type { RunReport } from '../../src/health/report.ts';
import { createMailSender } from '../../src/jobs/background.ts';
import { createFakeMailTransport } from '../../src/mail/fake-transport.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { buildTestApp, testConfig } from '../support/app.ts';

export const ADMINS = ['alex@contoso.example', 'sam@contoso.example'];
export const FABRIKAM = '8a6b3b5e-0000-4000-8000-00000000fab1';
export const NORTHWIND = '8a6b3b5e-0000-4000-8000-0000000000a2';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/**
 * The app's real dependencies with a fake mail transport and a notifier whose webhook waits are
 * recorded instead of spent. Reports are built by hand, as the engine would hand them over.
 */
export async function setup(env: Record<string, string> = {}, options: { logger?: Logger } = {}) {
  const mail = createFakeMailTransport();
  const built = await buildTestApp({
    config: testConfig({
      ADMIN_EMAILS: ADMINS.join(','),
      PUBLIC_BASE_URL: 'https://pal.contoso.example',
      ...env,
    }),
    mail,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  cleanup.push(built.close);
  const waits: number[] = [];
  const notify = createRunNotifier(built.deps, {
    webhook: { timeoutMs: 250, sleep: async (ms) => void waits.push(ms) },
  });
  const sender = createMailSender(built.deps, { idleMs: 10 });
  const { db, config } = built.deps;

  async function addConsultant(
    email: string,
    displayName: string,
    status: 'active' | 'offboarded' = 'active',
  ) {
    const id = randomUUID();
    const at = built.clock.now().toISOString();
    await db
      .insertInto('consultants')
      .values({
        id,
        email,
        display_name: displayName,
        location_id: config.partner.locations[0]!.id,
        customer_tenants: '[]',
        status,
        created_at: at,
        updated_at: at,
        offboarded_at: status === 'offboarded' ? at : null,
      })
      .execute();
    return { id, email, displayName };
  }

  let runs = 0;
  function report(
    transitions: (Partial<RunReport['transitions'][number]> & {
      consultant: { id: string; email: string; displayName: string };
      to: string;
    })[],
    overrides: Partial<RunReport> = {},
  ): RunReport {
    runs += 1;
    const at = built.clock.now().toISOString();
    return {
      runId: `run-${runs}`,
      trigger: 'schedule',
      startedAt: at,
      finishedAt: at,
      total: 12,
      counts: { healthy: 9, pal_missing: 2, account_revoked: 1 },
      transitions: transitions.map(({ consultant, ...t }) => ({
        associationId: randomUUID(),
        consultantId: consultant.id,
        email: consultant.email,
        displayName: consultant.displayName,
        tenantId: FABRIKAM,
        tenantName: 'Fabrikam',
        from: 'healthy',
        evidence: {},
        ...t,
      })),
      adminAlerts: [],
      ...overrides,
    };
  }

  const outbox = (kind: string) =>
    db.selectFrom('mail_outbox').selectAll().where('kind', '=', kind).orderBy('created_at').execute();
  const auditEvents = (action: string) =>
    db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();

  return { ...built, mail, notify, sender, waits, addConsultant, report, outbox, auditEvents };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A webhook receiver on 127.0.0.1: records every request and answers with the scripted replies in
 * order (then 200 "ok"), or `always` for every request. `hang` never answers.
 */
export async function startWebhookServer(script: { replies?: Reply[]; always?: Reply } = {}) {
  const received: ReceivedRequest[] = [];
  const replies = [...(script.replies ?? [])];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = replies.shift() ?? script.always ?? { status: 200, body: 'ok' };
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers ?? { 'content-type': 'text/plain' });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    host: `127.0.0.1:${port}`,
    /** Shaped like a Teams Workflows URL: the signature in the query string is the secret. */
    url: `http://127.0.0.1:${port}/workflows/7f3a/triggers/manual/paths/invoke?api-version=1&sig=S3cretSignature0123456789`,
    received,
  };
}
