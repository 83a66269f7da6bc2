import { type ApiDoc, errorResponses, jsonResponse } from '../admin/openapi.ts';
import { ASSOCIATION_CSV_COLUMNS } from './csv.ts';
import { VERDICTS } from './verdicts.ts';

const filters = [
  {
    name: 'verdict',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: [...VERDICTS, 'unchecked'] },
  },
  { name: 'consultantId', in: 'query', required: false, schema: { type: 'string' } },
];

export const associationDoc: ApiDoc = {
  paths: {
    '/api/associations': {
      get: {
        summary: 'PAL associations',
        description:
          'Every active link (consultant or automation identity × customer tenant) with its partner ID and latest health verdict.',
        tags: ['Associations'],
        parameters: filters,
        responses: {
          '200': jsonResponse('Associations', {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                consultantId: { type: ['string', 'null'], description: 'Null for an automation identity' },
                automationIdentityId: {
                  type: ['string', 'null'],
                  description: 'Set for an automation identity (kind service_principal)',
                },
                email: { type: 'string', description: "The consultant's, or `app <client ID>`" },
                kind: { type: 'string', enum: ['user', 'service_principal'] },
                tenantId: { type: 'string' },
                tenantName: { type: ['string', 'null'] },
                objectId: { type: 'string' },
                partnerId: { type: 'string' },
                previousPartnerId: { type: ['string', 'null'] },
                linkedAt: { type: 'string', format: 'date-time' },
                lastCheckedAt: { type: ['string', 'null'], format: 'date-time' },
                verdict: { type: ['string', 'null'] },
                verdictSince: { type: ['string', 'null'], format: 'date-time' },
                stale: {
                  type: 'boolean',
                  description: 'The latest check failed; the verdict shown is the one before it',
                },
                evidence: {},
              },
            },
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    '/api/associations.csv': {
      get: {
        summary: 'PAL associations as CSV',
        description: `The list of GET /api/associations with the same filters, one association per row: ${ASSOCIATION_CSV_COLUMNS.join(', ')}. Roles are \`Name @ scope\` joined by \`; \`; cells that a spreadsheet would run as a formula start with an apostrophe.`,
        tags: ['Associations'],
        parameters: filters,
        responses: {
          '200': {
            description: 'CSV (UTF-8, CRLF line ends, header row)',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 401),
        },
      },
    },
  },
};
