import { type ApiDoc, errorResponses, jsonBody, jsonResponse, pathParameter, ref } from '../openapi.ts';
import { createTokenSchema } from './schemas.ts';

const apiToken = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'createdBy', 'lastUsedAt', 'revokedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string', description: 'The admin who created it, as in the audit log' },
    lastUsedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Updated at most once a minute',
    },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

export const apiTokenDoc: ApiDoc = {
  schemas: {
    ApiToken: apiToken,
    NewApiToken: {
      type: 'object',
      required: ['id', 'name', 'token', 'createdAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        name: { type: 'string' },
        token: { type: 'string', description: 'The bearer token. Shown once: only its hash is stored.' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
  },
  paths: {
    '/api/tokens': {
      post: {
        summary: 'Create an API token',
        tags: ['API tokens'],
        requestBody: jsonBody(createTokenSchema),
        responses: {
          '201': jsonResponse('The new token; copy it now, it is never shown again', ref('NewApiToken')),
          ...errorResponses(400, 413, 415),
        },
      },
      get: {
        summary: 'List API tokens (never their values)',
        tags: ['API tokens'],
        responses: {
          '200': jsonResponse('Every token, newest first, revoked ones included', {
            type: 'object',
            required: ['tokens'],
            properties: { tokens: { type: 'array', items: ref('ApiToken') } },
          }),
          ...errorResponses(),
        },
      },
    },
    '/api/tokens/{id}': {
      delete: {
        summary: 'Revoke an API token',
        description: 'It stops working at once. Revoking a revoked token changes nothing.',
        tags: ['API tokens'],
        parameters: [pathParameter('id', 'The token ID')],
        responses: {
          '200': jsonResponse('The revoked token', {
            type: 'object',
            required: ['token'],
            properties: { token: ref('ApiToken') },
          }),
          ...errorResponses(404),
        },
      },
    },
  },
};
