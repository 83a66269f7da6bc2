import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRoutes, apiTestApp } from './support.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function fetchDocument() {
  const built = await apiTestApp();
  close = built.close;
  const res = await request(built.app).get('/api/openapi.json');
  expect(res.status).toBe(200);
  return { ...built, doc: res.body };
}

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 with a bearer security scheme applied to everything', async () => {
    const { doc } = await fetchDocument();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/openapi.json'].get.security).toEqual([]);
  });

  it('describes the one error shape', async () => {
    const { doc } = await fetchDocument();
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'requestId']);
    expect(doc.paths['/api/consultants'].post.responses['409']).toEqual({
      $ref: '#/components/responses/E409',
    });
    expect(doc.components.responses.E409.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
  });

  it('gives POST /api/consultants a request schema generated from its validation', async () => {
    const { doc } = await fetchDocument();
    const schema = doc.paths['/api/consultants'].post.requestBody.content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['email']);
    expect(Object.keys(schema.properties).sort()).toEqual([
      'customerTenants',
      'displayName',
      'email',
      'locationId',
    ]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.email.format).toBe('email');
  });

  it('documents every route the API serves, and nothing it does not', async () => {
    const { doc, deps } = await fetchDocument();
    const served = apiRoutes(deps)
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('every $ref points at something defined', async () => {
    const { doc } = await fetchDocument();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) {
      expect(doc.components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
    }
  });

  it('lists a consultant with exactly the fields the API returns', async () => {
    const { doc, api } = await fetchDocument();
    const created = (await api.post('/api/consultants', { email: 'ada@contoso.example' })).body;
    expect(Object.keys(doc.components.schemas.Consultant.properties).sort()).toEqual(
      Object.keys(created).sort(),
    );
  });
});
