import { type ApiDoc, errorResponses, jsonResponse } from '../admin/openapi.ts';
import { VERDICTS } from './routes.ts';

export const associationDoc: ApiDoc = {
  paths: {
    '/api/associations': {
      get: {
        summary: 'PAL associations',
        description:
          'Every active link (consultant × customer tenant) with its partner ID and latest health verdict.',
        tags: ['Associations'],
        parameters: [
          {
            name: 'verdict',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: [...VERDICTS, 'unchecked'] },
          },
          { name: 'consultantId', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': jsonResponse('Associations', {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                consultantId: { type: 'string' },
                email: { type: 'string' },
                tenantId: { type: 'string' },
                tenantName: { type: ['string', 'null'] },
                objectId: { type: 'string' },
                partnerId: { type: 'string' },
                previousPartnerId: { type: ['string', 'null'] },
                linkedAt: { type: 'string', format: 'date-time' },
                lastCheckedAt: { type: ['string', 'null'], format: 'date-time' },
                verdict: { type: ['string', 'null'] },
                evidence: {},
              },
            },
          }),
          ...errorResponses(400, 401),
        },
      },
    },
  },
};
