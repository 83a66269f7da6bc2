import { type ApiDoc, errorResponses, jsonBody, jsonResponse } from '../admin/openapi.ts';
import { createInvitationsBody } from './routes.ts';

export const invitationDoc: ApiDoc = {
  paths: {
    '/api/invitations': {
      post: {
        summary: 'Issue invitation links',
        description:
          'Creates one link per consultant (all active ones, or the given IDs), optionally scoped to one customer tenant. A new link supersedes the consultant’s older open ones. Each URL is returned here once; only its hash is stored.',
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
