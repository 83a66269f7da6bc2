import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailSender, sendDueReminders } from '../../src/jobs/background.ts';
import { createOutboxStore } from '../../src/outbox/store.ts';
import { startSmtpServer } from '../mail/smtp-server.ts';
import { buildTestApp, TEST_ADMIN_TOKEN, testConfig } from '../support/app.ts';

type Smtp = Awaited<ReturnType<typeof startSmtpServer>>;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setup() {
  const smtp: Smtp = await startSmtpServer();
  const built = await buildTestApp({
    config: testConfig({ SMTP_URL: smtp.url(), MAIL_FROM: 'Contoso PAL <pal@contoso.example>' }),
  });
  cleanup.push(async () => {
    await built.deps.mail.close();
    await built.close();
    await smtp.close();
  });
  const admin = (method: 'get' | 'post', path: string, body?: object) =>
    request(built.app)[method](path).set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send(body);
  const addConsultants = async (emails: string[]) => {
    const ids: string[] = [];
    for (const email of emails) ids.push((await admin('post', '/api/consultants', { email })).body.id);
    return ids;
  };
  return { ...built, smtp, admin, addConsultants, sender: createMailSender(built.deps, { idleMs: 10 }) };
}

/** The decoded HTML part of a raw message (quoted-printable or base64). */
function htmlPartOf(raw: string): string {
  const start = raw.search(/Content-Type: text\/html/i);
  const part = raw.slice(start);
  const [headers = '', ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n').split(/\r?\n--/)[0] ?? '';
  if (/base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

const linkIn = (raw: string) => /http:\/\/localhost:3000\/i\/[\w-]{43}/.exec(raw.replace(/=\r?\n/g, ''))?.[0];

describe('bulk invitations by email', () => {
  it('mails every consultant a unique working link and reports progress to the end', async () => {
    const t = await setup();
    const emails = Array.from({ length: 40 }, (_, i) => `consultant${i}@contoso.example`);
    await t.addConsultants(emails);
    const created = await t.admin('post', '/api/invitations', { all: true, send: true });
    expect(created.status).toBe(202);
    const before = await t.admin('get', `/api/batches/${created.body.batchId}`);
    expect(before.body).toMatchObject({ total: 40, pending: 40, sent: 0, state: 'sending' });

    await t.sender.drain();

    const after = await t.admin('get', `/api/batches/${created.body.batchId}`);
    expect(after.body).toMatchObject({ total: 40, sent: 40, failed: 0, pending: 0, state: 'done' });
    expect(t.smtp.received.map((m) => m.to[0]).sort()).toEqual([...emails].sort());
    const links = t.smtp.received.map((m) => linkIn(m.raw));
    expect(new Set(links).size).toBe(40);
    // The mailed link is the one the API returned, and it opens the invitation.
    expect(links.sort()).toEqual(created.body.invitations.map((i: { url: string }) => i.url).sort());
    const landing = await request(t.app).get(new URL(links[0]!).pathname);
    expect(landing.status).toBe(200);
  });

  it('invites only consultants not yet linked when asked for all', async () => {
    const t = await setup();
    const [linked] = await t.addConsultants(['linked@contoso.example', 'new@contoso.example']);
    await t.deps.db
      .insertInto('associations')
      .values({
        id: 'a1',
        consultant_id: linked!,
        kind: 'user',
        tenant_id: 't',
        object_id: 'o',
        partner_id: '4471231',
        linked_at: '2026-01-01T00:00:00Z',
        status: 'active',
      })
      .execute();
    const created = await t.admin('post', '/api/invitations', { all: true, send: false });
    expect(created.body.invitations).toHaveLength(1);
    const everyone = await t.admin('post', '/api/invitations', {
      all: true,
      includeLinked: true,
      send: false,
    });
    expect(everyone.body.invitations).toHaveLength(2);
  });

  it('fails a permanently refused address with the server’s reason and retries a temporary refusal later', async () => {
    const t = await setup();
    await t.addConsultants(['refused@contoso.example', 'later@contoso.example', 'ok@contoso.example']);
    const created = await t.admin('post', '/api/invitations', { all: true, send: true });
    await t.sender.drain();
    const progress = await t.admin('get', `/api/batches/${created.body.batchId}`);
    expect(progress.body).toMatchObject({ sent: 1, failed: 1, pending: 1 });
    const rows = await t.deps.db.selectFrom('mail_outbox').selectAll().execute();
    expect(rows.find((r) => r.to_address.startsWith('refused'))).toMatchObject({
      state: 'failed',
      last_error: expect.stringContaining('550'),
    });
    const later = rows.find((r) => r.to_address.startsWith('later'))!;
    expect(later).toMatchObject({ state: 'queued', attempts: 1, last_error: expect.stringContaining('451') });
    expect(later.next_attempt_at > t.clock.now().toISOString()).toBe(true);
  });

  it('does not mail a link that was superseded before its turn came', async () => {
    const t = await setup();
    const [id] = await t.addConsultants(['dana@contoso.example']);
    await t.admin('post', '/api/invitations', { consultantIds: [id], send: true });
    await t.admin('post', '/api/invitations', { consultantIds: [id], send: true });
    await t.sender.drain();
    expect(t.smtp.received).toHaveLength(1);
    const states = (
      await t.deps.db
        .selectFrom('mail_outbox')
        .select(['state', 'last_error'])
        .orderBy('created_at')
        .execute()
    ).map((r) => r.state);
    expect(states.sort()).toEqual(['sent', 'skipped']);
  });

  it('picks up messages a crashed sender had claimed, once their claim expires', async () => {
    const t = await setup();
    await t.addConsultants(['a@contoso.example', 'b@contoso.example', 'c@contoso.example']);
    await t.admin('post', '/api/invitations', { all: true, send: true });
    // A sender claims two messages and dies before sending them.
    const claimed = await createOutboxStore(t.deps.db).claim('crashed-sender', 2, t.clock.now(), 60_000);
    expect(claimed).toHaveLength(2);
    await t.sender.drain();
    expect(t.smtp.received).toHaveLength(1);
    t.clock.advance(61_000);
    await t.sender.drain();
    expect(t.smtp.received.map((m) => m.to[0]).sort()).toEqual([
      'a@contoso.example',
      'b@contoso.example',
      'c@contoso.example',
    ]);
  });

  it('reminds consultants who have not completed, at most REMINDER_MAX times', async () => {
    const t = await setup();
    await t.addConsultants(['slow@contoso.example']);
    await t.admin('post', '/api/invitations', { all: true, send: true });
    await t.sender.drain();
    expect((await sendDueReminders(t.deps)).count).toBe(0);
    for (const expected of [1, 1, 0]) {
      t.clock.advance(3 * 86_400_000 + 1000);
      expect((await sendDueReminders(t.deps)).count).toBe(expected);
      await t.sender.drain();
    }
    expect(t.smtp.received).toHaveLength(3);
    expect(t.smtp.received[1]!.raw).toMatch(/Subject: Reminder/);
    // The reminder carries the same, still working link.
    expect(linkIn(t.smtp.received[1]!.raw)).toBe(linkIn(t.smtp.received[0]!.raw));
  });

  it('escapes script in names in the HTML part', async () => {
    const t = await setup();
    await t.admin('post', '/api/consultants', {
      email: 'x@contoso.example',
      displayName: '<script>alert(1)</script>',
    });
    await t.admin('post', '/api/invitations', { all: true, send: true });
    await t.sender.drain();
    const html = htmlPartOf(t.smtp.received[0]!.raw);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('delivery state per consultant', () => {
  it('shows each invitation’s mails with state and the server’s reason', async () => {
    const t = await setup();
    const [ok, refused] = await t.addConsultants(['ok@contoso.example', 'refused@contoso.example']);
    await t.admin('post', '/api/invitations', { all: true, send: true });
    await t.sender.drain();
    const delivered = await t.admin('get', `/api/consultants/${ok}`);
    expect(delivered.body.invitations[0].mails).toEqual([
      expect.objectContaining({ kind: 'invitation', state: 'sent', attempts: 1, lastError: null }),
    ]);
    const bounced = await t.admin('get', `/api/consultants/${refused}`);
    expect(bounced.body.invitations[0].mails).toEqual([
      expect.objectContaining({
        kind: 'invitation',
        state: 'failed',
        lastError: expect.stringContaining('550'),
      }),
    ]);
  });
});
