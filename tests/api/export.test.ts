import { readFileSync } from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ADMIN, appPerTest } from './support.ts';

const setup = appPerTest();

const EXPORT_HEADER = 'email,displayName,locationId,customerTenants,status,signedInAs,lastSignedInAt';
const FABRIKAM = '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const NORTHWIND = '8e2d4c6a-1f3b-4a5c-8d7e-9f0a1b2c3d4e';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url));

function importCsv(app: Express, body: string | Buffer) {
  return request(app).post('/api/consultants/import').set(ADMIN).set('content-type', 'text/csv').send(body);
}

function exportCsv(app: Express, query = '') {
  return request(app).get(`/api/consultants.csv${query}`).set(ADMIN).buffer(true);
}

const lines = (text: string) => text.split('\r\n').filter(Boolean);

describe('exporting the roster as CSV', () => {
  it('is a UTF-8 CSV attachment named for the day, header first, without a BOM, not cached', async () => {
    const { app, api } = await setup();
    await api.post('/api/consultants', {
      email: 'ada@contoso.example',
      displayName: 'Lovelace, Ada',
      locationId: '4471232',
      customerTenants: [FABRIKAM, NORTHWIND],
    });
    const res = await exportCsv(app);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="consultants-2026-11-20.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(lines(res.text)).toEqual([
      EXPORT_HEADER,
      `ada@contoso.example,"Lovelace, Ada",4471232,${FABRIKAM} ${NORTHWIND},active,,`,
    ]);
  });

  it('takes the list’s filters: status, location and search', async () => {
    const { app } = await setup();
    await importCsv(
      app,
      'email,displayName,locationId\nada@contoso.example,Ada,4471231\nbo@contoso.example,Bo,4471232\ncy@contoso.example,Cy,4471232\n',
    );
    const emails = async (query: string) =>
      lines((await exportCsv(app, query)).text)
        .slice(1)
        .map((line) => line.split(',')[0]);
    expect(await emails('')).toEqual(['ada@contoso.example', 'bo@contoso.example', 'cy@contoso.example']);
    expect(await emails('?locationId=4471232')).toEqual(['bo@contoso.example', 'cy@contoso.example']);
    expect(await emails('?q=CY')).toEqual(['cy@contoso.example']);
    expect(await emails('?status=offboarded')).toEqual([]);
  });

  it('refuses an unknown filter or a paging parameter with 400', async () => {
    const { app } = await setup();
    for (const query of ['?status=gone', '?limit=10', '?colour=red']) {
      const res = await exportCsv(app, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
  });

  it('puts a quote before cells a spreadsheet would run as formulas', async () => {
    const { app, api } = await setup();
    await api.post('/api/consultants', {
      email: 'eve@contoso.example',
      displayName: '=HYPERLINK("http://x")',
    });
    await api.post('/api/consultants', { email: 'mal@contoso.example', displayName: '@SUM(1+1)' });
    await api.post('/api/consultants', { email: '-x@contoso.example', displayName: '+1' });
    const rows = lines((await exportCsv(app)).text).slice(1);
    expect(rows).toEqual([
      `'-x@contoso.example,'+1,4471231,,active,,`,
      `eve@contoso.example,"'=HYPERLINK(""http://x"")",4471231,,active,,`,
      `mal@contoso.example,'@SUM(1+1),4471231,,active,,`,
    ]);
  });

  it('exports every consultant of a roster larger than one page, in email order', async () => {
    const { app } = await setup();
    const emails = Array.from({ length: 2_345 }, (_, i) => `p${String(i).padStart(4, '0')}@contoso.example`);
    await importCsv(app, ['email', ...emails].join('\n'));
    const exported = lines((await exportCsv(app)).text).slice(1);
    expect(exported.map((line) => line.split(',')[0])).toEqual(emails);
  });

  it('refuses anonymous callers', async () => {
    const { app } = await setup();
    expect((await request(app).get('/api/consultants.csv')).status).toBe(401);
  });
});

describe('the round trip', () => {
  it('re-importing an export changes nothing and only warns about the read-only columns', async () => {
    const { app } = await setup();
    for (const name of [
      'roster-50-with-3-bad.csv',
      'non-latin-names.csv',
      'formula-cells.csv',
      'quoted-comma.csv',
    ]) {
      expect((await importCsv(app, fixture(name))).status).toBe(200);
    }
    const { total } = (await request(app).get('/api/consultants?limit=1').set(ADMIN)).body;
    expect(total).toBe(53);
    const exported = (await exportCsv(app)).text;
    const res = await importCsv(app, exported);
    expect(res.body).toEqual({
      created: 0,
      updated: 0,
      unchanged: total,
      errors: [],
      warnings: [
        {
          line: 1,
          message:
            'Not imported: "status", "signedInAs", "lastSignedInAt"; the import reads the columns email, displayName, locationId, customerTenants',
        },
      ],
    });
  });

  it('an export imported into an empty roster recreates the same consultants', async () => {
    const source = await setup();
    await importCsv(source.app, fixture('formula-cells.csv'));
    await importCsv(source.app, fixture('excel-european.csv'));
    await importCsv(source.app, fixture('html-in-names.csv'));
    const exported = (await exportCsv(source.app)).text;
    const list = async (api: typeof source.api) =>
      ((await api.get('/api/consultants')).body.consultants as Record<string, unknown>[]).map(
        ({ email, displayName, locationId, customerTenants }) => ({
          email,
          displayName,
          locationId,
          customerTenants,
        }),
      );
    const original = await list(source.api);
    await source.close();

    const target = await setup();
    const res = await importCsv(target.app, exported);
    expect(res.body).toMatchObject({ created: original.length, errors: [] });
    expect(await list(target.api)).toEqual(original);
  });
});
