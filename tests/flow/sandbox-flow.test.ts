import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithPicker } from '../../src/sandbox/identity/simulated-browser.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';

/** A browser session: the cookie jar the sign-in binding needs. */
function browser(service: ServiceWithSandbox) {
  let cookie = '';
  return {
    async post(path: string, form: Record<string, string> = {}) {
      const response = await fetch(new URL(path, service.baseUrl), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(form).toString(),
      });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0] ?? '';
      return response;
    },
    async get(url: string | URL) {
      return fetch(url, { redirect: 'manual', headers: { cookie } });
    },
  };
}

let service: ServiceWithSandbox;
beforeAll(async () => {
  service = await startServiceWithSandbox();
});
afterAll(async () => service?.close());

async function invite(email: string, tenantId?: string) {
  const created = await service.api('POST', '/api/consultants', { email });
  expect(created.status).toBe(201);
  const issued = await service.api('POST', '/api/invitations', {
    consultantIds: [created.body.id],
    ...(tenantId ? { tenantId } : {}),
  });
  expect(issued.status).toBe(202);
  return { consultantId: created.body.id as string, url: issued.body.invitations[0].url as string };
}

async function signIn(url: string, upn: string) {
  const session = browser(service);
  const started = await session.post(new URL(url).pathname);
  expect(started.status).toBe(303);
  const back = await signInWithPicker(started.headers.get('location')!, upn);
  return { session, page: await session.get(back) };
}

describe('the consultant flow against the sandbox', () => {
  it('links PAL to the consultant’s location in every customer tenant they can reach', async () => {
    const { consultantId, url } = await invite('dana.contributor@contoso.example');
    const landing = await fetch(url);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Continue with Microsoft');

    const { page } = await signIn(url, 'dana.contributor@contoso.example');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Done');
    expect(html).toContain('Fabrikam');
    expect(html).toContain('Northwind');

    const world = service.sandbox.world;
    const dana = world.userByUpn('dana.contributor@contoso.example')!;
    for (const tenant of [SEED.tenants.fabrikam, SEED.tenants.northwind]) {
      const guest = world.identity(dana.id, tenant)!;
      const link = world.state.partnerLinks.find(
        (l) => l.tenantId === tenant && l.objectId === guest.objectId,
      );
      expect(link?.partnerId).toBe('4471231');
      expect(link?.state).toBe('Active');
    }
    const associations = await service.api('GET', `/api/associations?consultantId=${consultantId}`);
    expect(associations.body.map((a: { tenantId: string }) => a.tenantId).sort()).toEqual(
      [SEED.tenants.fabrikam, SEED.tenants.northwind].sort(),
    );

    // The consultant's token cache (refresh token inside) is stored sealed, never readable as is.
    const caches = await service.deps.db.selectFrom('token_caches').selectAll().execute();
    expect(caches).toHaveLength(1);
    expect(caches[0]?.data).not.toMatch(/RefreshToken|refresh_token|secret/i);
    expect(Buffer.from(caches[0]!.data, 'base64').toString('latin1')).not.toMatch(/RefreshToken|"secret"/);

    const again = await fetch(url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');
  });

  it('asks before replacing another partner’s ID, then replaces it when the consultant agrees', async () => {
    const { url } = await invite('olive.otherpartner@contoso.example');
    const { session, page } = await signIn(url, 'olive.otherpartner@contoso.example');
    const html = await page.text();
    expect(html).toContain('another partner');
    expect(html).toContain(SEED.otherPartner.partnerId);
    const attempt = /name="attempt" value="([^"]+)"/.exec(html)![1]!;

    const decided = await session.post('/auth/decide', {
      attempt,
      tenant: SEED.tenants.northwind,
      choice: 'replace',
    });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain(
      `Changed from partner ID ${SEED.otherPartner.partnerId} to 4471231`,
    );
  });

  it('refuses a sign-in with another account and links nothing', async () => {
    const { url } = await invite('noor.noroles@contoso.example');
    const { page } = await signIn(url, 'riley.reader@contoso.example');
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('not the account this invitation is for');
    expect(
      service.sandbox.world.state.partnerLinks.some(
        (l) =>
          l.partnerId === '4471231' &&
          l.tenantId === SEED.tenants.fabrikam &&
          service.sandbox.world.identityByObjectId(l.tenantId, l.objectId)?.userId ===
            service.sandbox.world.userByUpn('riley.reader@contoso.example')!.id,
      ),
    ).toBe(false);
    expect((await fetch(url)).status).toBe(200);
  });

  it('shows the admin-consent link for a tenant that blocks user consent', async () => {
    const { url } = await invite('taylor.tailspin@contoso.example');
    const { page } = await signIn(url, 'taylor.tailspin@contoso.example');
    const html = await page.text();
    expect(html).toContain('Needs the customer’s approval');
    expect(html).toContain(`${SEED.tenants.tailspin}/v2.0/adminconsent`);
    expect(html).toContain('az managementpartner create --partner-id 4471231');
    // Fabrikam still got linked; the link stays usable for Tailspin.
    expect(html).toContain('Linked to partner ID 4471231');
    expect((await fetch(url)).status).toBe(200);
  });
  it('keeps the link open after a decision about one tenant while another still waits for consent', async () => {
    const taylor = 'taylor.tailspin@contoso.example';
    const other = await fetch(`${service.sandbox.url}/_sandbox/control/partner-links`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tenant: SEED.tenants.fabrikam,
        upn: taylor,
        partnerId: SEED.otherPartner.partnerId,
      }),
    });
    expect(other.status).toBe(200);
    // Taylor is on the roster from the test above: a fresh invitation supersedes the old one.
    const listed = await service.api('GET', `/api/consultants?q=${taylor}`);
    const consultantId = listed.body.consultants[0].id as string;
    const issued = await service.api('POST', '/api/invitations', { consultantIds: [consultantId] });
    const url = issued.body.invitations[0].url as string;
    const { session, page } = await signIn(url, taylor);
    const html = await page.text();
    expect(html).toContain('another partner');
    expect(html).toContain('Needs the customer’s approval');
    const attempt = /name="attempt" value="([^"]+)"/.exec(html)![1]!;

    const kept = await session.post('/auth/decide', {
      attempt,
      tenant: SEED.tenants.fabrikam,
      choice: 'keep',
    });
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain('Left as it was');
    // Tailspin still needs its admin's consent: the same link must keep working for it.
    expect((await fetch(url)).status).toBe(200);
    const invitation = await service.deps.db
      .selectFrom('invitations')
      .select(['state', 'open_tenants'])
      .where(
        'consultant_id',
        '=',
        (await service.api('GET', `/api/consultants?q=${taylor}`)).body.consultants[0].id,
      )
      .executeTakeFirstOrThrow();
    expect(invitation).toEqual({ state: 'open', open_tenants: JSON.stringify([SEED.tenants.tailspin]) });
  });
});
