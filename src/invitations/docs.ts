import { type ApiDoc, errorResponses, jsonBody, jsonResponse } from '../admin/openapi.ts';
import { createInvitationsBody } from './routes.ts';

export const invitationDoc: ApiDoc = {
  paths: {
    '/api/invitations': {
      post: {
        summary: 'Issue invitation links',
        description:
          'Creates one link per consultant — the given IDs, or with `all: true` every active consultant not yet linked (`includeLinked: true` for everyone) — optionally scoped to one customer tenant. A new link supersedes the consultant’s older open ones. With `send: true` each link is mailed through the durable outbox; follow it with `GET /api/batches/{id}`. Each URL is returned here once; only its hash is stored.',
        tags: ['Invitations'],
        requestBody: jsonBody(createInvitationsBody),
        responses: {
          '202': jsonResponse('The batch and its links', {
            type: 'object',
            required: ['batchId', 'invitations'],
            properties: {
              batchId: { type: 'string', format: 'uuid' },
              invitations: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'consultantId', 'tenantId', 'url', 'expiresAt'],
                  properties: {
                    id: { type: 'string', format: 'uuid' },
                    consultantId: { type: 'string', format: 'uuid' },
                    tenantId: { type: ['string', 'null'] },
                    url: {
                      type: 'string',
                      format: 'uri',
                      description: 'Shown once; send it to the consultant',
                    },
                    expiresAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          }),
          ...errorResponses(400, 401, 415, 429),
        },
      },
    },
    '/api/batches/{id}': {
      get: {
        summary: 'Progress of a batch of invitation mails',
        description:
          'Counts of the batch’s messages: sent, failed (with the server’s reason in each consultant’s delivery state), skipped (the link was superseded, revoked or used before its mail went out) and pending (queued, being sent, or waiting to retry).',
        tags: ['Invitations'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': jsonResponse('Progress', {
            type: 'object',
            required: ['id', 'total', 'sent', 'failed', 'skipped', 'pending', 'state'],
            properties: {
              id: { type: 'string' },
              kind: { type: 'string', enum: ['invitation', 'reminder', 'reinvite'] },
              createdAt: { type: 'string', format: 'date-time' },
              total: { type: 'integer' },
              sent: { type: 'integer' },
              failed: { type: 'integer' },
              skipped: { type: 'integer' },
              pending: { type: 'integer' },
              state: { type: 'string', enum: ['sending', 'done', 'not_sent'] },
            },
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    '/api/invitations/{id}': {
      delete: {
        summary: 'Revoke an invitation',
        description:
          'The link stops working at once. Completed, superseded or already revoked invitations are left as they are.',
        tags: ['Invitations'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': jsonResponse('The invitation’s state after the call', {
            type: 'object',
            required: ['id', 'state'],
            properties: {
              id: { type: 'string' },
              state: { type: 'string', enum: ['revoked', 'completed', 'superseded'] },
            },
          }),
          ...errorResponses(401, 404),
        },
      },
    },
  },
};
