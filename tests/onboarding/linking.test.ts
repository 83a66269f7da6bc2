import { describe, expect, it } from 'vitest';
import {
  API_VERSION,
  arm,
  CUSTOMER_OBJECT,
  CUSTOMER_TENANT,
  callback,
  dana,
  fixture,
  inviteConsultant,
  type JourneyApp,
  journeyAppPerTest,
  json,
  PM,
  pressContinue,
  signInAs,
  tenantsListed,
} from './support.ts';

let app: JourneyApp;
journeyAppPerTest((built) => {
  app = built;
});

/** Invites Dana, walks the sign-in and returns the result page. */
async function linkDana(options: { locationId?: string } = {}) {
  const { path } = await inviteConsultant(app, { email: dana.upn, ...options });
  const signIn = await pressContinue(app, path);
  signInAs(dana, signIn.nonce);
  tenantsListed();
  const page = await callback(signIn.browser, { code: 'auth-code-1', state: signIn.state });
  return { page, path };
}

async function associations() {
  return (await app.admin('get', '/api/associations')).body as {
    tenantId: string;
    objectId: string;
    partnerId: string;
    previousPartnerId: string | null;
  }[];
}

describe('setting PAL in a customer tenant', () => {
  it('creates the link with a PUT when the consultant has none (404 → PUT → verified)', async () => {
    const put = arm()
      .get(PM)
      .query(API_VERSION)
      .reply(404, fixture('managementpartner-get-404-not-linked.json'), json)
      .put(`${PM}/123456`)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-put-200.json'), json)
      .get(PM)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-put-200.json'), json);
    const { page, path } = await linkDana();
    expect(page.status).toBe(200);
    expect(page.text).toContain('Linked to partner ID 123456');
    expect(put.isDone()).toBe(true);
    expect(await associations()).toEqual([
      expect.objectContaining({
        tenantId: CUSTOMER_TENANT,
        objectId: CUSTOMER_OBJECT,
        partnerId: '123456',
        previousPartnerId: null,
      }),
    ]);
    // The invitation is finished: its link is dead.
    expect((await app.admin('get', path)).status).toBe(410);
  });

  it('writes nothing when the link already carries the consultant’s location ID', async () => {
    const reads = arm()
      .get(PM)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-put-200.json'), json);
    const writes = arm()
      .put(/partners/)
      .query(true)
      .reply(500)
      .patch(/partners/)
      .query(true)
      .reply(500);
    const { page } = await linkDana();
    expect(page.text).toContain('Already linked to partner ID 123456');
    expect(reads.isDone()).toBe(true);
    expect(writes.isDone()).toBe(false);
    expect((await associations())[0]?.partnerId).toBe('123456');
  });

  it('re-points a link from another of our locations with a PATCH', async () => {
    arm()
      .get(PM)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-put-200.json'), json)
      .patch(`${PM}/123457`)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-patch-200.json'), json)
      .get(PM)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-patch-200.json'), json);
    const { page } = await linkDana({ locationId: '123457' });
    expect(page.text).toContain('Changed from partner ID 123456 to 123457');
    expect(await associations()).toEqual([
      expect.objectContaining({ partnerId: '123457', previousPartnerId: '123456' }),
    ]);
  });

  it('asks the consultant before replacing another partner’s ID, and changes nothing meanwhile', async () => {
    arm().get(PM).query(API_VERSION).reply(200, fixture('managementpartner-put-200-with-name.json'), json);
    const writes = arm()
      .put(/partners/)
      .query(true)
      .reply(500)
      .patch(/partners/)
      .query(true)
      .reply(500);
    const { page, path } = await linkDana();
    expect(page.text).toContain('another partner');
    expect(page.text).toContain('5127255');
    expect(page.text).toContain('Test_Test_DhirajTesting');
    expect(page.text).toContain('value="replace"');
    expect(writes.isDone()).toBe(false);
    expect(await associations()).toEqual([]);
    // Still open: the consultant has a decision to make.
    expect((await app.admin('get', path)).status).toBe(200);
  });

  it('reports PartnerIdInvalid as a configuration problem and alerts the admins', async () => {
    arm()
      .get(PM)
      .query(API_VERSION)
      .reply(404, fixture('managementpartner-get-404-not-linked.json'), json)
      .put(`${PM}/123456`)
      .query(API_VERSION)
      .reply(400, fixture('managementpartner-put-400-invalid.json'), json);
    const { page } = await linkDana();
    expect(page.text).toContain('does not accept the partner ID configured for your location');
    const audit = await app.admin('get', '/api/audit?action=alert.configuration_refused');
    expect(audit.body.events).toEqual([
      expect.objectContaining({
        subjectId: CUSTOMER_TENANT,
        detail: expect.objectContaining({ errorCode: 'PartnerIdInvalid' }),
      }),
    ]);
  });

  it('rides out a 429 with Retry-After and then links', async () => {
    arm()
      .get(PM)
      .query(API_VERSION)
      .reply(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '0' })
      .get(PM)
      .query(API_VERSION)
      .reply(404, fixture('managementpartner-get-404-not-linked.json'), json)
      .put(`${PM}/123456`)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-put-200.json'), json)
      .get(PM)
      .query(API_VERSION)
      .reply(200, fixture('managementpartner-put-200.json'), json);
    const { page } = await linkDana();
    expect(page.text).toContain('Linked to partner ID 123456');
  });

  it('keeps the link usable when Resource Manager stays unavailable', async () => {
    arm()
      .get(PM)
      .query(API_VERSION)
      .times(3)
      .reply(503, { error: { code: 'ServiceUnavailable', message: 'down' } }, { 'retry-after': '0' });
    const { page, path } = await linkDana();
    expect(page.text).toContain('Try again later');
    expect(await associations()).toEqual([]);
    expect((await app.admin('get', path)).status).toBe(200);
  });
});

describe('consent blocked by the customer tenant', () => {
  it.each([
    [65001, 'consent_required'],
    [90094, undefined],
  ])('AADSTS%s shows the admin-consent link and the manual commands', async (aadsts, suberror) => {
    const { path } = await inviteConsultant(app, { email: dana.upn });
    const signIn = await pressContinue(app, path);
    signInAs(dana, signIn.nonce, { customerToken: { aadsts, ...(suberror ? { suberror } : {}) } });
    tenantsListed();
    const page = await callback(signIn.browser, { code: 'auth-code-1', state: signIn.state });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Needs the customer’s approval');
    expect(page.text).toContain(
      `https://login.microsoftonline.com/${CUSTOMER_TENANT}/v2.0/adminconsent?client_id=`,
    );
    expect(page.text).toContain(
      `az login --tenant ${CUSTOMER_TENANT} &amp;&amp; az managementpartner create --partner-id 123456`,
    );
    expect(page.text).toContain('New-AzManagementPartner -PartnerId 123456');
    expect(await associations()).toEqual([]);
  });
});
