import { z } from 'zod';

/**
 * What one capability contributes to `/api/openapi.json`: its paths (keyed by the full path,
 * `/api/consultants/{id}`) and the named schemas they refer to. The API router collects these, so a
 * capability documents its routes next to them and nothing else needs to know they exist.
 */
export interface ApiDoc {
  paths: Record<string, Record<string, unknown>>;
  schemas?: Record<string, unknown>;
}

export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
  serverUrl: string;
}

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) for what a caller may send, from the zod schema that checks it. */
export function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return json;
}

/** A request body of JSON checked by `schema`. */
export function jsonBody(schema: z.ZodType, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema: requestSchema(schema) } },
  };
}

/** Query parameters, one per property of the zod object that checks the query string. */
export function queryParameters(schema: z.ZodType): unknown[] {
  const json = requestSchema(schema) as { properties?: Record<string, Record<string, unknown>> };
  const required = new Set((json as { required?: string[] }).required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

export function pathParameter(name: string, description: string) {
  return { name, in: 'path', required: true, description, schema: { type: 'string' } };
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON response whose body is the named schema (or an inline one). */
export function jsonResponse(description: string, schema: unknown) {
  return { description, content: { 'application/json': { schema } } };
}

/** Error responses by status, each the one error shape. 401 and 429 apply everywhere and are added for you. */
export function errorResponses(...statuses: number[]): Record<string, unknown> {
  const all = [...new Set([...statuses, 401, 429])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((status) => [String(status), { $ref: `#/components/responses/E${status}` }]),
  );
}

const ERROR_DESCRIPTIONS: Record<string, string> = {
  E400: 'The request is invalid; the message names every problem',
  E401: 'No admin API token, or not a valid one',
  E404: 'No such resource',
  E409: 'The request conflicts with the current state',
  E413: 'The request body is too large',
  E415: 'Send Content-Type: application/json',
  E429: 'Too many failed authentication attempts from this address',
};

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', examples: ['bad_request', 'unauthorized', 'not_found', 'conflict'] },
        message: { type: 'string', description: 'What went wrong, in words a person can act on' },
        requestId: { type: 'string', description: 'Quote it when reporting a problem; it is in the logs' },
        details: {
          description: 'Structured detail for some errors (the problems of a 400, the existing ID of a 409)',
        },
      },
    },
  },
};

/** Puts the capabilities' docs together into one OpenAPI 3.1 document. Two docs claiming one operation is a bug. */
export function buildOpenApiDocument(docs: ApiDoc[], info: ApiInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { Error: errorSchema };
  for (const doc of docs) {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const merged = paths[path] ?? {};
      paths[path] = merged;
      for (const [method, operation] of Object.entries(operations)) {
        if (method in merged) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is documented twice`);
        merged[method] = operation;
      }
    }
    for (const [name, schema] of Object.entries(doc.schemas ?? {})) {
      if (name in schemas) throw new Error(`OpenAPI: schema ${name} is defined twice`);
      schemas[name] = schema;
    }
  }
  const responses = Object.fromEntries(
    Object.entries(ERROR_DESCRIPTIONS).map(([name, description]) => [
      name,
      jsonResponse(description, ref('Error')),
    ]),
  );
  return {
    openapi: '3.1.1',
    info: {
      title: info.title,
      version: info.version,
      ...(info.description ? { description: info.description } : {}),
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The bootstrap ADMIN_API_TOKEN or an API token created with POST /api/tokens',
        },
      },
    },
  };
}
