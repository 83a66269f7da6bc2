import { afterEach, describe, expect, it } from 'vitest';
import { consolePerTest, signedIn, submit } from '../console/support.ts';
import {
  APP,
  CONTRIBUTOR,
  CUSTOMER_TENANT,
  EXPIRED,
  nock,
  resourceManager,
  tokenEndpoint,
} from './support.ts';

const setup = consolePerTest();
afterEach(() => {
  nock.cleanAll();
});

describe('the console page for automation identities', () => {
  it('registers a service principal, says plainly why it did not link, and never echoes the secret', async () => {
    let answer: 'ok' | typeof EXPIRED = EXPIRED;
    tokenEndpoint(CUSTOMER_TENANT, () => answer);
    resourceManager({ roles: [CONTRIBUTOR] });
    const built = await setup({ PARTNER_LOCATION_IDS: '123456:United Kingdom', PARTNER_GLOBAL_ID: '123455' });
    const browser = await signedIn(built.agent());

    const empty = await browser.get('/console/automation');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('No automation identities yet.');
    expect(empty.text).toContain('aria-current="page"');

    const failed = await submit(browser, '/console/automation', {
      displayName: 'Fabrikam pipeline',
      tenantId: CUSTOMER_TENANT,
      clientId: APP,
      credentialType: 'secret',
      secret: 'expired-secret-value',
    });
    expect(failed.status).toBe(201);
    expect(failed.text).toContain('AADSTS7000222');
    expect(failed.text).toContain('has expired');
    expect(failed.text).not.toContain('expired-secret-value');

    answer = 'ok';
    const id = /action="\/console\/automation\/([^/]+)\/link"/.exec(failed.text)![1]!;
    const linked = await submit(browser, `/console/automation/${id}/link`);
    expect(linked.status).toBe(200);
    expect(linked.text).toContain('Linked to partner ID 123456');

    const bad = await submit(browser, '/console/automation', {
      tenantId: 'not-a-guid',
      clientId: APP,
      credentialType: 'certificate',
      path: '/nowhere.pem',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('tenantId is a GUID');
  });
});
