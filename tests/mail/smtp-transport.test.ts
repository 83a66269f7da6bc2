import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../src/mail/smtp-transport.ts';
import type { MailTransport, OutgoingMail } from '../../src/mail/transport.ts';
import { manualClock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { parseEml } from '../../src/sandbox/mailbox/eml.ts';
import { captureLogs } from '../support/app.ts';
import { startHangingUpServer, startSmtpServer } from './smtp-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function transport(smtpUrl: string, logger = createLogger({ level: 'silent' })) {
  const created = createSmtpTransport({
    smtpUrl,
    from: 'Contoso PAL <pal@contoso.example>',
    publicBaseUrl: 'https://pal.contoso.example',
    logger,
    clock: manualClock(new Date('2026-11-20T09:00:00Z')),
  });
  cleanups.push(() => created.close());
  return created;
}

async function smtpServer(options: Parameters<typeof startSmtpServer>[0] = {}) {
  const server = await startSmtpServer(options);
  cleanups.push(() => server.close());
  return server;
}

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: 'Ada Lovelace <ada@fabrikam.example>',
  subject: 'Link your Azure work to Contoso (2 minutes)',
  text: 'Open https://pal.contoso.example/i/abc to start.',
  html: '<p>Open <a href="https://pal.contoso.example/i/abc">the link</a> to start.</p>',
  messageId: 'inv_42.1',
  ...overrides,
});

const send = (mailer: MailTransport, overrides: Partial<OutgoingMail> = {}) => mailer.send(mail(overrides));

describe('the SMTP mail transport', () => {
  it('delivers one message with a text and an HTML part, our Message-ID and the automatic-mail headers', async () => {
    const server = await smtpServer();
    const outcome = await send(transport(server.url()), { headers: { 'X-PAL-Invitation': '42' } });

    expect(outcome).toMatchObject({ ok: true, providerMessageId: '<inv_42.1@pal.contoso.example>' });
    expect(outcome.ok && outcome.response).toMatch(/^250/);
    expect(server.received).toHaveLength(1);
    const [received] = server.received;
    expect(received?.from).toBe('pal@contoso.example');
    expect(received?.to).toEqual(['ada@fabrikam.example']);
    const parsed = parseEml(Buffer.from(received?.raw ?? ''));
    expect(parsed.header('Message-ID')).toBe('<inv_42.1@pal.contoso.example>');
    expect(parsed.header('From')).toBe('Contoso PAL <pal@contoso.example>');
    expect(parsed.header('To')).toBe('Ada Lovelace <ada@fabrikam.example>');
    expect(parsed.header('Subject')).toBe('Link your Azure work to Contoso (2 minutes)');
    expect(parsed.header('Auto-Submitted')).toBe('auto-generated');
    expect(parsed.header('X-PAL-Invitation')).toBe('42');
    expect(parsed.header('Content-Type')).toMatch(/^multipart\/alternative/);
    expect(parsed.text).toBe('Open https://pal.contoso.example/i/abc to start.');
    expect(parsed.html).toContain('<a href="https://pal.contoso.example/i/abc">');
  });

  it('reports a recipient refused with 550 as a permanent failure with the server reason', async () => {
    const server = await smtpServer();
    const outcome = await send(transport(server.url()), { to: 'refused@example.com' });
    expect(outcome).toMatchObject({ ok: false, permanent: true, code: 'EENVELOPE' });
    expect(!outcome.ok && outcome.reason).toMatch(/^550 5\.1\.1 <refused@example\.com>: mailbox unavailable/);
    expect(server.received).toHaveLength(0);
  });

  it('reports a recipient deferred with 451 as a temporary failure', async () => {
    const server = await smtpServer();
    const outcome = await send(transport(server.url()), { to: 'later@example.com' });
    expect(outcome).toMatchObject({ ok: false, permanent: false });
    expect(!outcome.ok && outcome.reason).toMatch(/^451 4\.7\.1 greylisted/);
  });

  it('reports a message refused after DATA with 554 as permanent', async () => {
    const server = await smtpServer();
    const outcome = await send(transport(server.url()), { to: 'spam@example.com' });
    expect(outcome).toMatchObject({ ok: false, permanent: true });
    expect(!outcome.ok && outcome.reason).toMatch(/554 5\.7\.1 message refused as spam/);
  });

  it('reports a server that hangs up in the middle of a message as a temporary failure', async () => {
    const server = await startHangingUpServer();
    cleanups.push(() => server.close());
    const outcome = await send(transport(server.url));
    expect(outcome).toMatchObject({ ok: false, permanent: false });
    expect(!outcome.ok && outcome.code).toMatch(/^E(CONNECTION|SOCKET)$/);
  });

  it('reports an unreachable server as a temporary failure', async () => {
    const server = await startSmtpServer();
    const url = server.url();
    await server.close();
    const outcome = await send(transport(url));
    expect(outcome).toMatchObject({ ok: false, permanent: false });
  });

  it('refuses an invalid recipient or message ID without contacting the server', async () => {
    const server = await smtpServer();
    const mailer = transport(server.url());
    for (const overrides of [
      { to: 'not an address' },
      { to: 'a@example.com, b@example.com' },
      { to: 'ops: a@example.com;' },
      { messageId: '../../etc/passwd' },
      { messageId: 'x@evil' },
      { messageId: '<../x@evil.example>' },
      { messageId: '<x@evil.example>\r\nBcc: eve@example.com' },
      { headers: { Bcc: 'eve@example.com' } },
    ]) {
      expect(await send(mailer, overrides)).toMatchObject({ ok: false, permanent: true, code: 'EINVALID' });
    }
    expect(server.connectionsOpened).toBe(0);
  });

  it('keeps CR and LF in the subject and names out of the headers', async () => {
    const server = await smtpServer();
    const outcome = await send(transport(server.url()), {
      to: '"Ada\r\nBcc: eve@example.com" <ada@fabrikam.example>',
      subject: 'Hello\r\nBcc: eve@example.com',
      headers: { 'X-Note': 'one\r\nBcc: eve@example.com' },
    });
    expect(outcome.ok).toBe(true);
    const [received] = server.received;
    expect(received?.to).toEqual(['ada@fabrikam.example']);
    const headerBlock = received?.raw.split('\r\n\r\n')[0] ?? '';
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    expect(parseEml(Buffer.from(received?.raw ?? '')).header('Subject')).toBe('Hello Bcc: eve@example.com');
  });

  it('sends 50 messages at once over no more than the configured pool of connections', async () => {
    const server = await smtpServer();
    const mailer = transport(`${server.url()}?pool=3&maxMessages=20`);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(mailer, { to: `c${i}@fabrikam.example`, messageId: `inv_${i}` }),
      ),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(server.received).toHaveLength(50);
    expect(server.maxOpenConnections).toBeLessThanOrEqual(3);
    expect(server.maxOpenConnections).toBeGreaterThanOrEqual(2);
    // 20 messages per connection: 50 messages need at least three connections over time.
    expect(server.connectionsOpened).toBeGreaterThanOrEqual(3);
  });

  it('authenticates with the URL credentials and never shows them in its description or logs', async () => {
    const server = await smtpServer({ auth: { user: 'mailer', pass: 's3cr%t-p@ss' } });
    const { lines, logger } = captureLogs();
    const mailer = transport(server.url(`mailer:${encodeURIComponent('s3cr%t-p@ss')}@`), logger);

    expect(await send(mailer)).toMatchObject({ ok: true });
    expect(await send(mailer, { to: 'refused@example.com' })).toMatchObject({ ok: false });
    await mailer.close();

    expect(mailer.description).toBe(
      `smtp://127.0.0.1:${server.port} (authenticated, 5 connections, 100 messages each, no rate limit)`,
    );
    const logged = lines.join('');
    expect(logged).toContain('mail goes out through SMTP');
    for (const secret of ['s3cr', encodeURIComponent('s3cr%t-p@ss'), 'mailer:']) {
      expect(logged).not.toContain(secret);
      expect(mailer.description).not.toContain(secret);
    }
  });

  it('reports wrong credentials as temporary: it is our configuration, not the message', async () => {
    const server = await smtpServer({ auth: { user: 'mailer', pass: 'right' } });
    const outcome = await send(transport(server.url('mailer:wrong@')));
    expect(outcome).toMatchObject({ ok: false, permanent: false, code: 'EAUTH' });
  });

  it('answers sends after close with a temporary failure instead of throwing', async () => {
    const server = await smtpServer();
    const mailer = transport(server.url());
    await mailer.close();
    expect(await send(mailer)).toMatchObject({ ok: false, permanent: false, code: 'ECLOSED' });
  });
});
