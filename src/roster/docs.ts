import {
  type ApiDoc,
  errorResponses,
  jsonBody,
  jsonResponse,
  pathParameter,
  queryParameters,
  ref,
} from '../admin/openapi.ts';
import { createConsultantSchema, listConsultantsSchema, updateConsultantSchema } from './schemas.ts';

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

const idParameter = pathParameter('id', 'The consultant ID');
const tags = ['Consultants'];

export const rosterDoc: ApiDoc = {
  schemas: { Consultant: consultant, ConsultantDetail: consultantDetail },
  paths: {
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
  },
};
