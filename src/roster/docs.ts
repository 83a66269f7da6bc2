import {
  type ApiDoc,
  errorResponses,
  jsonBody,
  jsonResponse,
  pathParameter,
  queryParameters,
  ref,
} from '../admin/openapi.ts';
import { EXPORT_COLUMNS } from './csv-export.ts';
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS } from './csv-import.ts';
import {
  createConsultantSchema,
  exportConsultantsSchema,
  listConsultantsSchema,
  updateConsultantSchema,
} from './schemas.ts';

const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const text = { type: 'string' };
const nullableText = { type: ['string', 'null'] };

const consultantProperties = {
  id: { type: 'string', format: 'uuid' },
  email: { type: 'string', format: 'email' },
  displayName: text,
  locationId: { type: 'string', description: 'The Partner Location ID (PLA) their links carry' },
  locationLabel: nullableText,
  customerTenants: { type: 'array', items: { type: 'string', format: 'uuid' } },
  status: { type: 'string', enum: ['active', 'offboarded'] },
  createdAt: time,
  updatedAt: time,
  offboardedAt: nullableTime,
  signedInAs: { type: ['string', 'null'], description: 'The account they last signed in with' },
  lastSignedInAt: nullableTime,
};

const consultant = {
  type: 'object',
  required: Object.keys(consultantProperties),
  properties: consultantProperties,
};

const consultantDetail = {
  allOf: [
    ref('Consultant'),
    {
      type: 'object',
      required: ['invitations', 'associations'],
      properties: {
        invitations: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: text,
              state: { type: 'string', enum: ['open', 'completed', 'superseded', 'revoked'] },
              tenantId: nullableText,
              createdAt: time,
              expiresAt: time,
              completedAt: nullableTime,
              remindersSent: { type: 'integer' },
              mails: {
                type: 'array',
                description: 'Delivery of this link’s mails, newest first',
                items: {
                  type: 'object',
                  properties: {
                    kind: { type: 'string', enum: ['invitation', 'reminder', 'reinvite'] },
                    state: { type: 'string', enum: ['queued', 'sending', 'sent', 'failed', 'skipped'] },
                    attempts: { type: 'integer' },
                    lastError: {
                      ...nullableText,
                      description: 'The mail server’s reason for the last failure',
                    },
                    sentAt: nullableTime,
                    queuedAt: time,
                  },
                },
              },
            },
          },
        },
        associations: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              tenantId: text,
              tenantName: nullableText,
              objectId: text,
              partnerId: text,
              linkedAt: time,
              status: { type: 'string', enum: ['active', 'inactive'] },
              verdict: nullableText,
              lastCheckedAt: nullableTime,
            },
          },
        },
      },
    },
  ],
};

const lineMessages = (description: string) => ({
  type: 'array',
  description,
  items: {
    type: 'object',
    required: ['line', 'message'],
    properties: {
      line: { type: 'integer', description: 'The physical line in the file (1-based; the header is line 1)' },
      message: text,
    },
  },
});

const importReport = {
  type: 'object',
  required: ['created', 'updated', 'unchanged', 'errors', 'warnings'],
  properties: {
    created: { type: 'integer' },
    updated: {
      type: 'integer',
      description: 'Existing consultants (same email) whose row changed something',
    },
    unchanged: { type: 'integer', description: 'Existing consultants whose row matched what is stored' },
    errors: lineMessages('Rows not imported, with the reason; every other valid row was imported'),
    warnings: lineMessages('Imported, but worth a look: ignored columns, names that were cleaned'),
  },
};

const csvText = { type: 'string', description: 'CSV text, UTF-8' };

const importDescription = `Columns ${IMPORT_COLUMNS.join(', ')}. A first line naming them (any order, any case; other \
columns are ignored with a warning) is the header; without one the columns are these four in order. The separator \
(comma, semicolon or tab) is taken from the first line; quoted fields, CRLF or LF line ends and a UTF-8 BOM are \
fine, blank lines are skipped. customerTenants holds tenant IDs separated by spaces, | or ;.

Each row is checked like POST /api/consultants. A consultant whose email is already on the roster is updated \
(an empty cell keeps the stored value), never duplicated; an offboarded one is not re-activated. Invalid rows are \
reported by line and do not stop the valid ones, so the answer is 200 even when some rows failed: read errors. \
A file-level problem (not UTF-8 text, no email column, over 2 MB or ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows) \
imports nothing.`;

const idParameter = pathParameter('id', 'The consultant ID');
const tags = ['Consultants'];

export const rosterDoc: ApiDoc = {
  schemas: { Consultant: consultant, ConsultantDetail: consultantDetail, ImportReport: importReport },
  paths: {
    '/api/consultants/import': {
      post: {
        summary: 'Import consultants from CSV',
        description: importDescription,
        tags,
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: csvText },
            'application/csv': { schema: csvText },
            'text/plain': { schema: csvText },
          },
        },
        responses: {
          '200': jsonResponse('What the import did, row by row', ref('ImportReport')),
          ...errorResponses(400, 413),
          '415': jsonResponse('Send Content-Type: text/csv (or application/csv, text/plain)', ref('Error')),
        },
      },
    },
    '/api/consultants.csv': {
      get: {
        summary: 'Export consultants as CSV',
        description: `Columns ${EXPORT_COLUMNS.join(', ')}, ordered by email, with the list's filters. The file \
imports again as it is. A cell that a spreadsheet would run as a formula (starting with =, +, -, @) gets a leading '.`,
        tags,
        parameters: queryParameters(exportConsultantsSchema),
        responses: {
          '200': {
            description: 'An attachment named consultants-YYYY-MM-DD.csv',
            content: { 'text/csv': { schema: csvText } },
          },
          ...errorResponses(400),
        },
      },
    },
    '/api/consultants': {
      post: {
        summary: 'Add a consultant to the roster',
        tags,
        requestBody: jsonBody(createConsultantSchema),
        responses: {
          '201': jsonResponse('The new consultant', ref('Consultant')),
          ...errorResponses(400, 409, 413, 415),
        },
      },
      get: {
        summary: 'List consultants',
        tags,
        parameters: queryParameters(listConsultantsSchema),
        responses: {
          '200': jsonResponse('One page, ordered by email', {
            type: 'object',
            required: ['consultants', 'total'],
            properties: {
              consultants: { type: 'array', items: ref('Consultant') },
              total: { type: 'integer', description: 'How many match the filters, across all pages' },
            },
          }),
          ...errorResponses(400),
        },
      },
    },
    '/api/consultants/{id}': {
      get: {
        summary: 'A consultant with their invitations and PAL links',
        tags,
        parameters: [idParameter],
        responses: { '200': jsonResponse('The consultant', ref('ConsultantDetail')), ...errorResponses(404) },
      },
      patch: {
        summary: 'Edit a consultant',
        description: 'Only the fields given change. An offboarded consultant cannot be edited (409).',
        tags,
        parameters: [idParameter],
        requestBody: jsonBody(updateConsultantSchema),
        responses: {
          '200': jsonResponse('The consultant after the change', ref('Consultant')),
          ...errorResponses(400, 404, 409, 413, 415),
        },
      },
      delete: {
        summary: 'Offboard a consultant',
        description:
          'Revokes their open invitations, stops checking their PAL links and keeps the history. Idempotent.',
        tags,
        parameters: [idParameter],
        responses: {
          '200': jsonResponse('The offboarded consultant', {
            type: 'object',
            required: ['consultant', 'revokedInvitations'],
            properties: { consultant: ref('Consultant'), revokedInvitations: { type: 'integer' } },
          }),
          ...errorResponses(404),
        },
      },
    },
    '/api/consultants/{id}/reinstate': {
      post: {
        summary: 'Reinstate an offboarded consultant',
        description:
          'Active again, history kept. Their links were retired at offboarding: send them an invitation to set them again. Idempotent.',
        tags,
        parameters: [idParameter],
        responses: {
          '200': jsonResponse('The consultant, active', ref('Consultant')),
          ...errorResponses(404),
        },
      },
    },
  },
};
