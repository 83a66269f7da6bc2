import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, errorResponses, queryParameters, requestSchema } from './openapi.ts';

const info = { title: 'T', version: '1', serverUrl: 'https://pal.example' };

describe('buildOpenApiDocument', () => {
  it('merges the operations of several docs under one path', () => {
    const doc = buildOpenApiDocument(
      [
        { paths: { '/api/x': { get: { summary: 'a' } } } },
        { paths: { '/api/x': { post: { summary: 'b' } } } },
      ],
      info,
    ) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/x']!)).toEqual(['get', 'post']);
  });

  it('refuses two docs claiming the same operation or schema name', () => {
    const op = { paths: { '/api/x': { get: {} } } };
    expect(() => buildOpenApiDocument([op, op], info)).toThrow(/GET \/api\/x is documented twice/);
    const schema = { paths: {}, schemas: { Thing: {} } };
    expect(() => buildOpenApiDocument([schema, schema], info)).toThrow(/schema Thing is defined twice/);
  });
});

describe('schemas from zod', () => {
  it('describes what a caller sends (before transforms), without a $schema dialect marker', () => {
    const schema = requestSchema(z.strictObject({ n: z.string().transform(Number) }));
    expect(schema).toEqual({
      type: 'object',
      properties: { n: { type: 'string' } },
      required: ['n'],
      additionalProperties: false,
    });
  });

  it('turns a query schema into query parameters with defaults and descriptions', () => {
    const parameters = queryParameters(
      z.object({
        limit: z.coerce.number().int().max(500).default(100),
        q: z.string().optional().meta({ description: 'search' }),
      }),
    );
    expect(parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', default: 100 }),
      },
      { name: 'q', in: 'query', required: false, description: 'search', schema: { type: 'string' } },
    ]);
  });

  it('always documents 401 and 429 with the error responses', () => {
    expect(Object.keys(errorResponses(404))).toEqual(['401', '404', '429']);
  });
});
