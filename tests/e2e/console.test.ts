import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailSender } from '../../src/jobs/background.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';
import { ARTIFACTS, launchBrowser } from '../support/browser.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

// One admin session through the whole product, as a newcomer would use it after `npm start`: the
// service, the simulated Microsoft and the outbox sender all run in this process.
let service: ServiceWithSandbox;
let browser: Browser;
let sender: OutboxWorker;
let unlisten: () => void;
let adminContext: BrowserContext;
let admin: Page;

const ROSTER = [
  'email,displayName',
  'dana.contributor@contoso.example,Dana Contributor',
  'riley.reader@contoso.example,Riley Reader',
  'not-an-email,Nobody',
].join('\n');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [service, browser] = await Promise.all([startServiceWithSandbox(), launchBrowser()]);
  sender = createMailSender(service.deps, { idleMs: 100 });
  unlisten = service.deps.outboxQueued.listen(() => sender.wake());
  sender.start();
  adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  admin = await adminContext.newPage();
  // Confirmations (console.js) are accepted, as an admin who meant it would.
  admin.on('dialog', (dialog) => void dialog.accept());
});
afterAll(async () => {
  unlisten?.();
  await sender?.stop();
  await browser?.close();
  await service?.close();
});

describe('the admin console in a real browser', () => {
  it('signs the admin in with Microsoft, imports a CSV and follows the invitations until they are sent', async () => {
    await admin.goto(`${service.baseUrl}/console`);
    await admin.waitForURL(/\/console\/sign-in/);
    await admin.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    // The simulated account picker at the partner tenant's authority.
    await admin.waitForURL(new RegExp(`/${service.deps.config.azure.tenantId}/oauth2/v2\\.0/authorize`));
    await admin.getByRole('button', { name: /Alex Admin/ }).click();
    await admin.waitForURL(`${service.baseUrl}/console`);
    expect(await admin.textContent('h1')).toBe('Coverage');

    await admin.getByRole('link', { name: 'Consultants' }).click();
    await admin
      .getByLabel('CSV file')
      .setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(ROSTER) });
    await admin.getByRole('button', { name: 'Import' }).click();
    await admin.waitForURL(/\/console\/consultants\/import/);
    const report = (await admin.textContent('main')) ?? '';
    expect(report).toMatch(/2 added, 0 updated, 0 unchanged, 1 line refused/);
    expect(report).toMatch(/4\s*✗ refused.*not-an-email/);

    await admin.getByRole('link', { name: 'See who is not yet linked' }).click();
    await admin.getByRole('button', { name: 'Invite everyone not yet linked' }).click();
    await admin.waitForURL(/\/console\/batches\//);
    // console.js follows the batch and shows the final page once every mail is handled.
    await admin.getByRole('link', { name: 'Back to the consultants' }).waitFor({ timeout: 15_000 });
    const progress = (await admin.textContent('main')) ?? '';
    expect(progress).toMatch(/Done — 2 of 2 mails handled/);
    expect(progress).toMatch(/sent\s*2/);
  });

  it('shows a Reader-only consultant on the dashboard and in the findings after they link and a check runs', async () => {
    // Riley reads the mail in the sandbox mailbox and follows the link in their own browser.
    const consultant = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const riley = await consultant.newPage();
    await riley.goto(`${service.baseUrl}/sandbox/mailbox`);
    await riley
      .getByRole('row', { name: /riley\.reader@contoso\.example/ })
      .getByRole('link')
      .click();
    const mail = (await riley.textContent('pre')) ?? '';
    const link = /http:\/\/localhost:\d+\/i\/[\w-]{43}/.exec(mail)?.[0];
    expect(link).toBeTruthy();
    await riley.goto(link!);
    await riley.getByRole('button', { name: 'Continue with Microsoft' }).click();
    await riley
      .getByRole('button', { name: /Riley Reader/ })
      .first()
      .click();
    await riley.waitForURL(/\/auth\/callback/);
    expect(await riley.textContent('main')).toMatch(/Fabrikam[\s\S]*Linked/);
    await consultant.close();

    await admin.goto(`${service.baseUrl}/console`);
    await admin.getByRole('button', { name: 'Run a health check now' }).click();
    await admin.waitForURL(/\/console\/checks\//);
    await admin.getByRole('link', { name: 'See the findings' }).click({ timeout: 15_000 });
    const findings = admin.getByRole('row', { name: /Riley Reader/ });
    expect(await findings.textContent()).toMatch(
      /Reader only[\s\S]*Reader @ subscription[\s\S]*not eligible/,
    );
    await findings.getByLabel('Note').fill('Asked Fabrikam for Contributor');
    await findings.getByRole('button', { name: 'Acknowledge' }).click();
    await admin.waitForURL(/notice=acknowledged/);
    expect(await admin.getByRole('row', { name: /Riley Reader/ }).textContent()).toContain('Acknowledged');

    await admin.getByRole('link', { name: 'Dashboard' }).click();
    const dashboard = (await admin.textContent('main')) ?? '';
    expect(dashboard).toMatch(/1 of 2\s*consultants linked/);
    expect(dashboard).toMatch(/Reader only\s*1/);
    expect(await admin.locator('svg[role=img] rect.v-reader_only').count()).toBe(1);
    await admin.screenshot({ path: `${ARTIFACTS}console-dashboard.png`, fullPage: true });

    await admin.getByRole('link', { name: 'Consultants' }).click();
    await admin.getByRole('link', { name: 'Riley Reader' }).click();
    expect(await admin.textContent('main')).toMatch(/Verdicts over the last runs[\s\S]*Reader only/);
    await admin.screenshot({ path: `${ARTIFACTS}console-consultant.png`, fullPage: true });

    // The same pages at phone width.
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.screenshot({ path: `${ARTIFACTS}console-consultant-phone.png`, fullPage: true });
    await admin.getByRole('link', { name: 'Findings' }).click();
    await admin.screenshot({ path: `${ARTIFACTS}console-findings-phone.png`, fullPage: true });
  });
});
