import { readFileSync } from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ADMIN, appPerTest } from './support.ts';

const setup = appPerTest();

const HEADER = 'email,displayName,locationId,customerTenants';
const FABRIKAM = '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url));

function importCsv(app: Express, body: string | Buffer, type = 'text/csv') {
  return request(app).post('/api/consultants/import').set(ADMIN).set('content-type', type).send(body);
}

async function roster(api: Awaited<ReturnType<typeof setup>>['api']) {
  const res = await api.get('/api/consultants?status=all&limit=500');
  return res.body as { consultants: Record<string, unknown>[]; total: number };
}

describe('importing the roster from CSV', () => {
  it('imports a 50-consultant file with three bad lines: 47 created, exactly those lines explained', async () => {
    const { app, api } = await setup();
    const res = await importCsv(app, fixture('roster-50-with-3-bad.csv'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      created: 47,
      updated: 0,
      unchanged: 0,
      errors: [
        { line: 8, message: 'email: "consultant07.contoso.example" is not an email address' },
        {
          line: 24,
          message:
            "locationId: 4471230 is the partner's global ID (PGA); PAL needs a location ID (PLA): one of 4471231, 4471232",
        },
        {
          line: 42,
          message: expect.stringMatching(
            /^customerTenants: "fabrikam\.onmicrosoft\.com" is not a tenant ID: .*domain names are not accepted$/,
          ),
        },
      ],
      warnings: [],
    });
    const { consultants, total } = await roster(api);
    expect(total).toBe(47);
    expect(consultants.map((c) => c.email)).not.toContain('consultant23@contoso.example');
    expect(consultants.find((c) => c.email === 'consultant03@contoso.example')).toMatchObject({
      displayName: 'Consultant 03',
      locationId: '4471232',
      customerTenants: [FABRIKAM],
      status: 'active',
    });
  });

  it('re-imports by email: changed rows are updated, identical ones unchanged, nobody duplicated', async () => {
    const { app, api } = await setup();
    await importCsv(app, `${HEADER}\nada@contoso.example,Ada,4471231,\nbo@contoso.example,Bo,4471231,\n`);
    const before = (await roster(api)).consultants.find((c) => c.email === 'bo@contoso.example');
    const res = await importCsv(
      app,
      `${HEADER}\nADA@contoso.example,Ada,,\nbo@contoso.example,Bo Berg,4471232,${FABRIKAM}\ncy@contoso.example,,,\n`,
    );
    expect(res.body).toMatchObject({ created: 1, updated: 1, unchanged: 1, errors: [] });
    const { consultants, total } = await roster(api);
    expect(total).toBe(3);
    expect(consultants.find((c) => c.email === 'bo@contoso.example')).toMatchObject({
      id: before?.id,
      displayName: 'Bo Berg',
      locationId: '4471232',
      customerTenants: [FABRIKAM],
    });
    const again = await importCsv(
      app,
      `${HEADER}\nada@contoso.example,Ada,,\nbo@contoso.example,Bo Berg,4471232,${FABRIKAM}\ncy@contoso.example,,,\n`,
    );
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('reports an offboarded consultant’s row and leaves them offboarded', async () => {
    const { app, api } = await setup();
    const { id } = (await api.post('/api/consultants', { email: 'ada@contoso.example' })).body;
    await api.delete(`/api/consultants/${id}`);
    const res = await importCsv(app, `${HEADER}\nada@contoso.example,Ada Back,,\nbo@contoso.example,,,\n`);
    expect(res.body).toMatchObject({
      created: 1,
      errors: [
        {
          line: 2,
          message:
            'ada@contoso.example was offboarded on 2026-11-20; an import does not re-activate a consultant (reinstate them on their console page or with POST /api/consultants/{id}/reinstate)',
        },
      ],
    });
    expect((await api.get(`/api/consultants/${id}`)).body).toMatchObject({
      status: 'offboarded',
      displayName: 'ada',
    });
  });

  it('loses no valid row to broken ones around it: quotes, duplicates, bad cells', async () => {
    const { app, api } = await setup();
    const csv = [
      HEADER,
      'ok1@contoso.example,One,,',
      'broken@contoso.example,"never closed,,',
      'ok2@contoso.example,Two,4471232,',
      'OK1@contoso.example,Duplicate,,',
      'bad-email,Bad,,',
      'ok3@contoso.example,"Three ""Q""",,',
      'toomany@contoso.example,A,4471231,,x',
      'ok4@contoso.example,Four,,',
    ].join('\n');
    const res = await importCsv(app, csv);
    expect(res.body.created).toBe(4);
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 5, 6, 8]);
    const emails = (await roster(api)).consultants.map((c) => c.email);
    expect(emails).toEqual([
      'ok1@contoso.example',
      'ok2@contoso.example',
      'ok3@contoso.example',
      'ok4@contoso.example',
    ]);
  });

  it('imports 20,000 rows across many transactions, counting the bad ones at chunk edges', async () => {
    const { app, api } = await setup();
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      [499, 500, 501, 19_999].includes(i)
        ? `p${i}@contoso.example,P,9999999,`
        : `p${i}@contoso.example,P ${i},,`,
    );
    const res = await importCsv(app, [HEADER, ...rows].join('\n'));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(19_996);
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([501, 502, 503, 20_001]);
    expect((await api.get('/api/consultants?limit=1')).body.total).toBe(19_996);
  });

  it('records one consultant.imported audit event with the counts, not one per row', async () => {
    const { app, api } = await setup();
    await importCsv(app, fixture('roster-50-with-3-bad.csv'));
    const events = (await api.get('/api/audit')).body.events as { action: string; detail: unknown }[];
    expect(events.map((e) => e.action)).toEqual(['consultant.imported']);
    expect(events[0]?.detail).toEqual({
      created: 47,
      updated: 0,
      unchanged: 0,
      errors: 3,
      bytes: expect.any(Number),
    });
  });

  it('accepts application/csv and text/plain as well as text/csv', async () => {
    const { app } = await setup();
    for (const [index, type] of [
      'application/csv',
      'text/plain; charset=utf-8',
      'text/csv; charset=UTF-8',
    ].entries()) {
      const res = await importCsv(app, `${HEADER}\nperson${index}@contoso.example,,,\n`, type);
      expect(res.status, type).toBe(200);
      expect(res.body.created, type).toBe(1);
    }
  });
});

describe('what the import refuses', () => {
  it('anonymous callers, with 401, and imports nothing', async () => {
    const { app, api } = await setup();
    const res = await request(app)
      .post('/api/consultants/import')
      .set('content-type', 'text/csv')
      .send(`${HEADER}\nada@contoso.example,,,\n`);
    expect(res.status).toBe(401);
    expect((await roster(api)).total).toBe(0);
  });

  it('JSON or any other type, with 415 naming the CSV types', async () => {
    const { app } = await setup();
    for (const type of [
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await importCsv(app, '{"email":"ada@contoso.example"}', type);
      expect(res.status, type).toBe(415);
      expect(res.body.error).toMatchObject({
        code: 'unsupported_media_type',
        message:
          'Send the roster as CSV with Content-Type: text/csv (application/csv and text/plain are accepted too)',
      });
    }
  });

  it('a CSV declared in another charset, with 415', async () => {
    const { app } = await setup();
    const res = await importCsv(app, 'email\n', 'text/csv; charset=windows-1252');
    expect(res.status).toBe(415);
    expect(res.body.error.message).toBe('The CSV must be UTF-8; this one is declared windows-1252');
  });

  it('a body over 2 MB, with 413 in the one error shape, importing nothing', async () => {
    const { app, api } = await setup();
    const row = 'someone@contoso.example,Some One,4471231,\n';
    const big = `${HEADER}\n${row.repeat(Math.ceil((2 * 1024 * 1024) / row.length) + 1)}`;
    const res = await importCsv(app, big);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      code: 'payload_too_large',
      message: 'The CSV is larger than 2 MB; split it',
      requestId: res.headers['x-request-id'],
    });
    expect((await roster(api)).total).toBe(0);
  });

  it('more than 20,000 rows, with 413, importing nothing', async () => {
    const { app, api } = await setup();
    const rows = Array.from({ length: 20_001 }, (_, i) => `p${i}@contoso.example`);
    const res = await importCsv(app, [HEADER, ...rows].join('\n'));
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe(
      'The CSV has 20,001 rows; at most 20,000 are imported at once, so split it',
    );
    expect((await roster(api)).total).toBe(0);
  });

  it('binary data and UTF-16 files, with 400 and the way to fix them', async () => {
    const { app } = await setup();
    const binary = await importCsv(app, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0x00]));
    expect(binary.status).toBe(400);
    expect(binary.body.error.message).toMatch(/^The body is binary data, not CSV text/);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${HEADER}\nada@contoso.example,,,\n`, 'utf16le'),
    ]);
    const res = await importCsv(app, utf16);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/UTF-16.*save it as "CSV UTF-8 \(Comma delimited\)"/),
    });
  });

  it('an empty body or a header without an email column, with 400', async () => {
    const { app } = await setup();
    const empty = await request(app).post('/api/consultants/import').set(ADMIN);
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/^The CSV is empty/);
    const noEmail = await importCsv(app, 'displayName,locationId\nAda,4471231\n');
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.message).toMatch(/^The header \(line 1\) has no email column/);
  });
});
