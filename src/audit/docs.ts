import { type ApiDoc, errorResponses, jsonResponse, queryParameters, ref } from '../admin/openapi.ts';
import { auditQuerySchema } from './schemas.ts';

export const auditDoc: ApiDoc = {
  schemas: {
    AuditEvent: {
      type: 'object',
      required: ['id', 'at', 'actor', 'action', 'subjectType', 'subjectId', 'detail', 'requestId'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        actor: { type: 'string', description: "`bootstrap`, `api_token:<id> (<name>)`, or an admin's email" },
        action: {
          type: 'string',
          examples: ['consultant.created', 'consultant.offboarded', 'api_token.created'],
        },
        subjectType: { type: ['string', 'null'], examples: ['consultant', 'api_token'] },
        subjectId: { type: ['string', 'null'] },
        detail: { type: ['object', 'null'], description: 'What explains the event; never a token or secret' },
        requestId: { type: ['string', 'null'], description: 'The request that caused it (matches the logs)' },
      },
    },
  },
  paths: {
    '/api/audit': {
      get: {
        summary: 'Read the audit log, newest first',
        tags: ['Audit'],
        parameters: queryParameters(auditQuerySchema),
        responses: {
          '200': jsonResponse('One page of events', {
            type: 'object',
            required: ['events'],
            properties: {
              events: { type: 'array', items: ref('AuditEvent') },
              next: {
                type: 'string',
                description: 'Pass as `before` for the next page; absent on the last page',
              },
            },
          }),
          ...errorResponses(400),
        },
      },
    },
  },
};
