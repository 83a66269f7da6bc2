import { describe, expect, it } from 'vitest';
import { appPerTest, insertAssociation, insertInvitation } from './support.ts';

const setup = appPerTest();

const FABRIKAM = '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const NORTHWIND = '8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4e';
const UNKNOWN_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('adding a consultant', () => {
  it('stores the email trimmed and lower-case, names them after it, and puts them in the default location', async () => {
    const { api } = await setup();
    const res = await api.post('/api/consultants', { email: '  Ada.Lovelace@Contoso.Example ' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/consultants/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'ada.lovelace@contoso.example',
      displayName: 'ada.lovelace',
      locationId: '4471231',
      locationLabel: 'Contoso United Kingdom',
      customerTenants: [],
      status: 'active',
      createdAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:00:00.000Z',
      offboardedAt: null,
      signedInAs: null,
      lastSignedInAt: null,
    });
  });

  it('takes a name, another location (as text or number) and customer tenants, de-duplicated and lower-case', async () => {
    const { api } = await setup();
    const res = await api.post('/api/consultants', {
      email: 'bo@contoso.example',
      displayName: 'Bo Berg',
      locationId: 4471232,
      customerTenants: [FABRIKAM.toUpperCase(), FABRIKAM, NORTHWIND],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      displayName: 'Bo Berg',
      locationId: '4471232',
      locationLabel: 'Contoso Germany',
      customerTenants: [FABRIKAM, NORTHWIND],
    });
  });

  it('refuses a second consultant with the same email (in any case) with 409 and the existing ID', async () => {
    const { api } = await setup();
    const first = await api.post('/api/consultants', { email: 'ada@contoso.example' });
    const res = await api.post('/api/consultants', { email: 'ADA@contoso.example' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'conflict',
      message: 'A consultant with this email already exists',
      details: { existingId: first.body.id },
    });
  });

  it("refuses the partner's global ID as location, naming the location IDs to use instead", async () => {
    const { api } = await setup();
    const res = await api.post('/api/consultants', { email: 'ada@contoso.example', locationId: '4471230' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "locationId: 4471230 is the partner's global ID (PGA); PAL needs a location ID (PLA): one of 4471231, 4471232",
    );
  });

  it('refuses a location that is not one of the partner’s, listing the valid ones', async () => {
    const { api } = await setup();
    const unknown = await api.post('/api/consultants', {
      email: 'ada@contoso.example',
      locationId: '9999999',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      `locationId: "9999999" is not one of the partner's location IDs; use one of 4471231 (Contoso United Kingdom), 4471232 (Contoso Germany)`,
    );
    const notAnId = await api.post('/api/consultants', { email: 'ada@contoso.example', locationId: 'UK' });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.error.message).toMatch(
      /"UK" is not a location ID \(4 to 10 digits\); use one of 4471231/,
    );
  });

  it('refuses a customer tenant that is not a GUID, explaining that domain names are not accepted', async () => {
    const { api } = await setup();
    const res = await api.post('/api/consultants', {
      email: 'ada@contoso.example',
      customerTenants: [FABRIKAM, 'fabrikam.onmicrosoft.com'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^customerTenants\.1: "fabrikam\.onmicrosoft\.com" is not a tenant ID: give the directory's GUID .*domain names are not accepted$/,
    );
  });

  it("refuses the partner's own tenant as a customer tenant", async () => {
    const { api, deps } = await setup();
    const res = await api.post('/api/consultants', {
      email: 'ada@contoso.example',
      customerTenants: [deps.config.azure.tenantId],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/is the partner's own tenant/);
  });

  it('refuses a bad email, unknown fields and a missing body, naming each problem', async () => {
    const { api } = await setup();
    const bad = await api.post('/api/consultants', { email: 'not-an-email', display_name: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/email: "not-an-email" is not an email address/);
    expect(bad.body.error.message).toMatch(/Unrecognized key: "display_name"/);
    const empty = await api.post('/api/consultants');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/^email: /);
  });

  it('returns a name holding HTML as plain JSON data, and strips line breaks that could inject mail headers', async () => {
    const { api } = await setup();
    const res = await api.post('/api/consultants', {
      email: 'eve@contoso.example',
      displayName: '<img src=x onerror=alert(1)>\r\nBcc: everyone@contoso.example',
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.displayName).toBe('<img src=x onerror=alert(1)> Bcc: everyone@contoso.example');
    expect(res.body.displayName).not.toMatch(/[\r\n]/);
  });

  it('refuses a name longer than 200 characters', async () => {
    const { api } = await setup();
    const res = await api.post('/api/consultants', {
      email: 'ada@contoso.example',
      displayName: 'a'.repeat(201),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('displayName: at most 200 characters');
  });
});

describe('listing consultants', () => {
  async function seeded() {
    const built = await setup();
    for (const [email, displayName, locationId] of [
      ['ada@contoso.example', 'Ada Lovelace', '4471231'],
      ['bo@contoso.example', 'Bo Berg', '4471232'],
      ['cy@contoso.example', 'Cy 100%_Sure', '4471231'],
      ['di@contoso.example', 'Di Ng', '4471232'],
    ]) {
      await built.api.post('/api/consultants', { email, displayName, locationId });
    }
    const bo = (await built.api.get('/api/consultants?q=bo@')).body.consultants[0];
    await built.api.delete(`/api/consultants/${bo.id}`);
    return built;
  }
  const emails = (body: { consultants: { email: string }[] }) => body.consultants.map((c) => c.email);

  it('shows active consultants by default, ordered by email, with the total', async () => {
    const { api } = await seeded();
    const res = await api.get('/api/consultants');
    expect(res.status).toBe(200);
    expect(emails(res.body)).toEqual(['ada@contoso.example', 'cy@contoso.example', 'di@contoso.example']);
    expect(res.body.total).toBe(3);
  });

  it('filters by status, location and a case-insensitive search of email or name', async () => {
    const { api } = await seeded();
    expect(emails((await api.get('/api/consultants?status=offboarded')).body)).toEqual([
      'bo@contoso.example',
    ]);
    expect((await api.get('/api/consultants?status=all')).body.total).toBe(4);
    expect(emails((await api.get('/api/consultants?locationId=4471232')).body)).toEqual([
      'di@contoso.example',
    ]);
    expect(emails((await api.get('/api/consultants?q=LOVELACE')).body)).toEqual(['ada@contoso.example']);
    expect(emails((await api.get('/api/consultants?q=DI@')).body)).toEqual(['di@contoso.example']);
  });

  it('treats % and _ in a search as text, not wildcards', async () => {
    const { api } = await seeded();
    expect(emails((await api.get('/api/consultants?q=100%25_')).body)).toEqual(['cy@contoso.example']);
    expect(emails((await api.get('/api/consultants?q=%25')).body)).toEqual(['cy@contoso.example']);
  });

  it('pages with limit and offset while the total counts every match', async () => {
    const { api } = await seeded();
    const page = await api.get('/api/consultants?status=all&limit=2&offset=1');
    expect(emails(page.body)).toEqual(['bo@contoso.example', 'cy@contoso.example']);
    expect(page.body.total).toBe(4);
  });

  it('refuses a limit above 500, a negative offset, an unknown status or an unknown parameter', async () => {
    const { api } = await seeded();
    for (const query of ['limit=501', 'offset=-1', 'status=gone', 'stauts=all', 'limit=ten']) {
      const res = await api.get(`/api/consultants?${query}`);
      expect(res.status, query).toBe(400);
    }
  });
});

describe('one consultant', () => {
  it('comes with their invitations and PAL links, newest first', async () => {
    const { api, deps } = await setup();
    const { id } = (await api.post('/api/consultants', { email: 'ada@contoso.example' })).body;
    const older = await insertInvitation(deps, id, {
      state: 'superseded',
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    const newer = await insertInvitation(deps, id, { state: 'completed', tenantId: FABRIKAM });
    await insertAssociation(deps, id, FABRIKAM);

    const res = await api.get(`/api/consultants/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, email: 'ada@contoso.example' });
    expect(res.body.invitations).toEqual([
      {
        id: newer,
        state: 'completed',
        tenantId: FABRIKAM,
        createdAt: '2026-11-19T09:00:00.000Z',
        expiresAt: '2026-12-03T09:00:00.000Z',
        completedAt: '2026-11-19T10:00:00.000Z',
        remindersSent: 0,
        mails: [],
      },
      expect.objectContaining({ id: older, state: 'superseded', tenantId: null }),
    ]);
    expect(res.body.associations).toEqual([
      {
        tenantId: FABRIKAM,
        tenantName: 'Fabrikam',
        objectId: expect.any(String),
        partnerId: '4471231',
        linkedAt: '2026-11-19T10:00:00.000Z',
        status: 'active',
        verdict: 'healthy',
        lastCheckedAt: '2026-11-20T05:00:00.000Z',
      },
    ]);
  });

  it('is 404 when unknown or when the ID is malformed', async () => {
    const { api } = await setup();
    for (const id of [UNKNOWN_ID, 'not-an-id', "1' or '1'='1"]) {
      const res = await api.get(`/api/consultants/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});
