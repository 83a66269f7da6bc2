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
  },
};
