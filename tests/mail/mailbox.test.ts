import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailRenderer } from '../../src/mail/render.ts';
import type { OutgoingMail } from '../../src/mail/transport.ts';
import { buildTestApp, testConfig } from '../support/app.ts';

let dataDir: string;
let cleanup: (() => Promise<void>) | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pal-mailbox-'));
});
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function sandboxApp(overrides: Record<string, string> = {}) {
  const built = await buildTestApp({ config: testConfig({ DATA_DIR: dataDir, ...overrides }) });
  cleanup = async () => {
    await built.deps.mail.close();
    await built.close();
  };
  return built;
}

const invitation = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: 'Ada Lovelace <ada@fabrikam.example>',
  subject: 'Link your Azure work to Contoso (2 minutes)',
  text: 'Open http://localhost:3000/i/tok_abc to start.',
  html: '<table role="presentation"><tr><td style="background-color:#0b5cad"><a href="http://localhost:3000/i/tok_abc">Link my Azure work</a></td></tr></table>',
  messageId: 'inv_1',
  ...overrides,
});

async function sendTwo(built: Awaited<ReturnType<typeof sandboxApp>>) {
  const first = await built.deps.mail.send(invitation());
  built.clock.advance(60_000);
  const second = await built.deps.mail.send(
    invitation({ to: 'grace@northwind.example', subject: 'Reminder: <b>Contoso</b>', messageId: 'inv_2' }),
  );
  if (!first.ok || !second.ok) throw new Error('the outbox did not take the messages');
  return [first.providerMessageId, second.providerMessageId] as const;
}

describe('the sandbox mailbox', () => {
  it('lists the outbox messages newest first with time, recipient and subject, labelled SANDBOX', async () => {
    const built = await sandboxApp();
    const [older, newer] = await sendTwo(built);

    const res = await request(built.app).get('/sandbox/mailbox');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('SANDBOX');
    expect(res.text).toContain('2026-11-20 09:01:00 UTC');
    expect(res.text).toContain('grace@northwind.example');
    expect(res.text).toContain('Ada Lovelace &lt;ada@fabrikam.example&gt;');
    expect(res.text).toContain('Reminder: &lt;b&gt;Contoso&lt;/b&gt;');
    expect(res.text.indexOf(newer)).toBeGreaterThan(-1);
    expect(res.text.indexOf(newer)).toBeLessThan(res.text.indexOf(older));
  });

  it('says so when nothing has been sent yet', async () => {
    const built = await sandboxApp();
    const res = await request(built.app).get('/sandbox/mailbox');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Nothing has been sent yet');
  });

  it('shows one message: its headers, the text part and a link to the HTML version', async () => {
    const built = await sandboxApp();
    const [file] = await sendTwo(built);

    const res = await request(built.app).get(`/sandbox/mailbox/${file}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Message-ID');
    expect(res.text).toContain('&lt;inv_1@localhost&gt;');
    expect(res.text).toContain('Auto-Submitted');
    expect(res.text).toContain('<pre>Open http://localhost:3000/i/tok_abc to start.</pre>');
    expect(res.text).toContain(`href="/sandbox/mailbox/${file}/html"`);
  });

  it('serves the HTML part on its own under a strict policy, with the invitation button intact', async () => {
    const built = await sandboxApp();
    const [file] = await sendTwo(built);

    const res = await request(built.app).get(`/sandbox/mailbox/${file}/html`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'unsafe-inline'; img-src data:;/,
    );
    expect(res.headers['content-security-policy']).not.toContain('script-src');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<a href="http://localhost:3000/i/tok_abc">Link my Azure work</a>');
  });

  it('shows a rendered invitation as the consultant would get it, button pointing at the magic link', async () => {
    const built = await sandboxApp();
    const rendered = createMailRenderer({ templates: built.deps.templates }).renderInvitationMail({
      partnerName: 'Contoso',
      consultantName: 'Ada Lovelace',
      locationId: '4471231',
      locationLabel: 'Contoso United Kingdom',
      url: 'http://localhost:3000/i/tok_xyz',
      expiresAt: new Date('2026-12-04T09:00:00Z'),
      kind: 'invitation',
    });
    const outcome = await built.deps.mail.send({
      to: 'ada@fabrikam.example',
      messageId: 'inv_9',
      ...rendered,
    });
    if (!outcome.ok) throw new Error(outcome.reason);

    const page = await request(built.app).get(`/sandbox/mailbox/${outcome.providerMessageId}`);
    expect(page.text).toContain('Link your Azure work to Contoso (2 minutes)');
    expect(page.text).toContain('http://localhost:3000/i/tok_xyz');
    const html = await request(built.app).get(`/sandbox/mailbox/${outcome.providerMessageId}/html`);
    expect(html.text).toContain('href="http://localhost:3000/i/tok_xyz"');
    expect(html.text).toContain('Link my Azure work');
  });

  it('answers 404 to anything that is not a message file directly in the outbox folder', async () => {
    const built = await sandboxApp();
    const [file] = await sendTwo(built);
    const outbox = join(dataDir, 'outbox');
    await writeFile(join(dataDir, 'secret.eml'), 'From: x\r\n\r\nsecret');
    await symlink(join(dataDir, 'secret.eml'), join(outbox, '2026-11-20T10-00-00.000Z-link.eml'));
    await mkdir(join(outbox, '2026-11-20T11-00-00.000Z-folder.eml'));
    await writeFile(join(outbox, `.${file}.abc.tmp`), 'half written');

    const attempts = [
      '..%2Fsecret.eml',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '%2e%2e%2fsecret.eml',
      '%252e%252e%252fsecret.eml',
      '..',
      '%2Fetc%2Fpasswd',
      encodeURIComponent(join(outbox, file)),
      `${file}%00`,
      `${file}%00.eml`,
      `${file.replace('.eml', '')}%00.eml`,
      `.${file}.abc.tmp`,
      '2026-11-20T10-00-00.000Z-link.eml',
      '2026-11-20T11-00-00.000Z-folder.eml',
      '2026-11-20T09-00-00.000Z-missing.eml',
      `${file}%2F..%2F${file}`,
    ];
    for (const attempt of attempts) {
      for (const suffix of ['', '/html']) {
        const res = await request(built.app).get(`/sandbox/mailbox/${attempt}${suffix}`);
        // A NUL (%00) is refused for every URL before routing (400); everything else is not found.
        expect(res.status, `${attempt}${suffix}`).toBe(attempt.includes('%00') ? 400 : 404);
        expect(res.text).not.toContain('secret');
      }
    }
    const listing = await request(built.app).get('/sandbox/mailbox');
    expect(listing.text).not.toContain('link.eml');
    expect(listing.text).not.toContain('.tmp');
  });

  it('is not there when the sandbox is off', async () => {
    const built = await sandboxApp({
      SANDBOX: 'false',
      AZURE_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
      AZURE_TENANT_ID: '11111111-2222-3333-4444-555555555555',
      PARTNER_NAME: 'Contoso',
      PARTNER_GLOBAL_ID: '123455',
      PARTNER_LOCATION_IDS: '123456:United Kingdom',
    });
    expect(built.deps.mail.kind).toBe('outbox');
    await sendTwo(built);
    for (const path of ['/sandbox/mailbox', '/sandbox/mailbox/2026-11-20T09-00-00.000Z-inv_1.eml']) {
      const res = await request(built.app).get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('is not there when the sandbox sends through a real SMTP server', async () => {
    const built = await sandboxApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    const res = await request(built.app).get('/sandbox/mailbox');
    expect(res.status).toBe(404);
  });
});
