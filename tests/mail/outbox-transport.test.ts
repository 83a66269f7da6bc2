import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeps, closeDeps } from '../../src/deps.ts';
import { createFakeMailTransport } from '../../src/mail/fake-transport.ts';
import { OUTBOX_FILE } from '../../src/mail/outbox-folder.ts';
import { createOutboxTransport } from '../../src/mail/outbox-transport.ts';
import type { OutgoingMail } from '../../src/mail/transport.ts';
import { manualClock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { parseEml } from '../../src/sandbox/mailbox/eml.ts';
import { testConfig } from '../support/app.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pal-outbox-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const silent = createLogger({ level: 'silent' });

function outbox(clock = manualClock(new Date('2026-11-20T09:00:00Z')), dir = join(dataDir, 'outbox')) {
  return createOutboxTransport({
    dir,
    from: 'Contoso PAL <pal@contoso.example>',
    publicBaseUrl: 'http://localhost:3000',
    logger: silent,
    clock,
  });
}

const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: 'Zoë Ñúñez <zoe@fabrikam.example>',
  subject: 'Link your Azure work to Contoso — 2 minutes',
  text: 'Hello Zoë,\n\nOpen http://localhost:3000/i/tok_123 to start.\n',
  html: '<p>Hello Zoë, <a href="http://localhost:3000/i/tok_123">start</a>.</p>',
  messageId: 'inv_42.1',
  ...overrides,
});

describe('the outbox-folder mail transport', () => {
  it('writes each message as an .eml file named after its time and message ID, and reports the name', async () => {
    const outcome = await outbox().send(mail());
    expect(outcome).toEqual({ ok: true, providerMessageId: '2026-11-20T09-00-00.000Z-inv_42.1.eml' });
    expect(await readdir(join(dataDir, 'outbox'))).toEqual(['2026-11-20T09-00-00.000Z-inv_42.1.eml']);
    expect(OUTBOX_FILE.test('2026-11-20T09-00-00.000Z-inv_42.1.eml')).toBe(true);
  });

  it('writes a standard RFC 822 message: CRLF lines, headers, a text and an HTML part that read back intact', async () => {
    const outcome = await outbox().send(mail({ headers: { 'X-PAL-Batch': 'b1' } }));
    if (!outcome.ok) throw new Error(outcome.reason);
    const raw = await readFile(join(dataDir, 'outbox', outcome.providerMessageId));
    expect(raw.toString('latin1')).toMatch(/^[\x20-\x7e\r\n\t]+$/); // 7-bit clean on the wire
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
    const parsed = parseEml(raw);
    expect(parsed.header('From')).toBe('Contoso PAL <pal@contoso.example>');
    expect(parsed.header('To')).toBe('Zoë Ñúñez <zoe@fabrikam.example>');
    expect(parsed.header('Subject')).toBe('Link your Azure work to Contoso — 2 minutes');
    expect(parsed.header('Message-ID')).toBe('<inv_42.1@localhost>');
    expect(parsed.header('Auto-Submitted')).toBe('auto-generated');
    expect(parsed.header('X-PAL-Batch')).toBe('b1');
    expect(parsed.header('Date')).toBe('Fri, 20 Nov 2026 09:00:00 +0000');
    expect(parsed.text).toBe('Hello Zoë,\n\nOpen http://localhost:3000/i/tok_123 to start.\n');
    expect(parsed.html).toBe('<p>Hello Zoë, <a href="http://localhost:3000/i/tok_123">start</a>.</p>');
  });

  it('reads back a part that nodemailer chose to encode as base64', async () => {
    const text = 'こんにちは、エイダさん。'.repeat(40);
    const outcome = await outbox().send(mail({ text, html: `<p>${text}</p>` }));
    if (!outcome.ok) throw new Error(outcome.reason);
    const raw = await readFile(join(dataDir, 'outbox', outcome.providerMessageId));
    expect(raw.toString('latin1')).toMatch(/Content-Transfer-Encoding: base64/i);
    const parsed = parseEml(raw);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(`<p>${text}</p>`);
  });

  it('leaves only complete messages in the folder, even with many written at once', async () => {
    const clock = manualClock(new Date('2026-11-20T09:00:00Z'));
    const transport = outbox(clock);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        transport.send(mail({ messageId: `inv_${i}`, text: 'x'.repeat(i * 500) })),
      ),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const files = await readdir(join(dataDir, 'outbox'));
    expect(files).toHaveLength(40);
    for (const file of files) {
      expect(file).toMatch(OUTBOX_FILE); // no temporary names left behind
      expect(parseEml(await readFile(join(dataDir, 'outbox', file))).html).toContain('tok_123');
    }
  });

  it('accepts a complete <id@host> message ID as it is, naming the file after the ID part', async () => {
    const outcome = await outbox().send(
      mail({ messageId: '<0b6c1f2e-8d4a-4c1e-9f7a-1a2b3c4d5e6f@pal.contoso.example>' }),
    );
    expect(outcome).toEqual({
      ok: true,
      providerMessageId: '2026-11-20T09-00-00.000Z-0b6c1f2e-8d4a-4c1e-9f7a-1a2b3c4d5e6f.eml',
    });
    if (!outcome.ok) return;
    const parsed = parseEml(await readFile(join(dataDir, 'outbox', outcome.providerMessageId)));
    expect(parsed.header('Message-ID')).toBe('<0b6c1f2e-8d4a-4c1e-9f7a-1a2b3c4d5e6f@pal.contoso.example>');
  });

  it('sending the same message again replaces its file rather than adding a second one', async () => {
    const transport = outbox();
    await transport.send(mail());
    await transport.send(mail());
    expect(await readdir(join(dataDir, 'outbox'))).toHaveLength(1);
  });

  it('reports a folder it cannot write as a temporary failure and leaves nothing behind', async () => {
    const blocked = join(dataDir, 'not-a-folder');
    await writeFile(blocked, 'a file where the outbox folder should be');
    const outcome = await outbox(undefined, blocked).send(mail());
    expect(outcome).toMatchObject({ ok: false, permanent: false, code: 'EOUTBOX' });
    expect(await readdir(dataDir)).toEqual(['not-a-folder']);
  });

  it('refuses a malformed recipient as a permanent failure without writing anything', async () => {
    const outcome = await outbox().send(mail({ to: 'zoe@fabrikam.example\r\nBcc: eve@example.com' }));
    expect(outcome).toMatchObject({ ok: false, permanent: true, code: 'EINVALID' });
    await expect(readdir(join(dataDir, 'outbox'))).rejects.toThrow();
  });
});

describe('choosing the mail transport', () => {
  it('writes to the outbox folder when SMTP_URL is unset, and uses SMTP when it is set', async () => {
    const folder = await buildDeps(testConfig({ DATA_DIR: dataDir }), { logger: silent });
    expect(folder.mail.kind).toBe('outbox');
    await closeDeps(folder);
    const smtp = await buildDeps(
      testConfig({ DATA_DIR: dataDir, SMTP_URL: 'smtp://127.0.0.1:2525?pool=2' }),
      {
        logger: silent,
      },
    );
    expect(smtp.mail.kind).toBe('smtp');
    await closeDeps(smtp);
  });

  it('uses an injected transport and closes it with the other dependencies', async () => {
    const fake = createFakeMailTransport();
    const deps = await buildDeps(testConfig({ DATA_DIR: dataDir }), { logger: silent, mail: fake });
    expect(deps.mail).toBe(fake);
    await closeDeps(deps);
    expect(fake.closed).toBe(true);
  });

  it('refuses to start with a MAIL_FROM that is not an address', async () => {
    await expect(
      buildDeps(testConfig({ DATA_DIR: dataDir, MAIL_FROM: 'Contoso PAL' }), { logger: silent }),
    ).rejects.toThrow(/MAIL_FROM/);
  });
});
