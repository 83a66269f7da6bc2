import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { ARTIFACTS, launchBrowser } from '../support/browser.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

let service: ServiceWithSandbox;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [service, browser] = await Promise.all([startServiceWithSandbox(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('a consultant in a real browser', () => {
  it('opens the invitation, signs in with Microsoft and sees PAL linked in Fabrikam and Northwind', async () => {
    const consultant = await service.api('POST', '/api/consultants', {
      email: 'dana.contributor@contoso.example',
    });
    expect(consultant.status).toBe(201);
    const issued = await service.api('POST', '/api/invitations', { consultantIds: [consultant.body.id] });
    const url: string = issued.body.invitations[0].url;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.textContent('h1')).toContain('Link your Azure work to Contoso');
    expect(await page.textContent('body')).toContain('4471231');
    await page.screenshot({ path: `${ARTIFACTS}consultant-landing.png`, fullPage: true });

    await page.getByRole('button', { name: 'Continue with Microsoft' }).click();
    // The simulated Microsoft account picker, with the invited account first.
    await page.waitForURL(/\/organizations\/oauth2\/v2\.0\/authorize/);
    expect(await page.textContent('body')).toContain('SANDBOX');
    await page
      .getByRole('button', { name: /Dana Contributor/ })
      .first()
      .click();

    await page.waitForURL(/\/auth\/callback/);
    const result = (await page.textContent('main')) ?? '';
    expect(result).toContain('Done');
    expect(result).toMatch(/Fabrikam[\s\S]*Linked/);
    expect(result).toMatch(/Northwind Traders[\s\S]*Linked/);
    await page.screenshot({ path: `${ARTIFACTS}consultant-result.png`, fullPage: true });

    // The simulated Resource Manager now holds our location ID for Dana's object in both tenants.
    const world = service.sandbox.world;
    const dana = world.userByUpn('dana.contributor@contoso.example')!;
    for (const tenantId of [SEED.tenants.fabrikam, SEED.tenants.northwind]) {
      const objectId = world.identity(dana.id, tenantId)!.objectId;
      expect(
        world.state.partnerLinks.find((l) => l.tenantId === tenantId && l.objectId === objectId),
      ).toMatchObject({
        partnerId: '4471231',
        state: 'Active',
      });
    }

    await page.goto(url);
    expect(await page.textContent('h1')).toContain('already been used');
    await context.close();
  });
});
