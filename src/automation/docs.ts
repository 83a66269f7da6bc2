import { type ApiDoc, errorResponses, jsonBody, jsonResponse, pathParameter, ref } from '../admin/openapi.ts';
import { VERDICTS } from '../pal/verdicts.ts';
import { credentialBodySchema, linkBodySchema, registerSchema } from './schemas.ts';

const association = {
  type: ['object', 'null'],
  description: 'The PAL association (kind service_principal); null until the identity was first linked',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    objectId: { type: 'string' },
    partnerId: { type: 'string' },
    previousPartnerId: { type: ['string', 'null'] },
    linkedAt: { type: 'string', format: 'date-time' },
    lastCheckedAt: { type: ['string', 'null'], format: 'date-time' },
    verdict: { type: ['string', 'null'], enum: [...VERDICTS, null] },
    verdictSince: { type: ['string', 'null'], format: 'date-time' },
    stale: { type: 'boolean' },
    evidence: {
      description:
        'As for consultants; `delegatedRolesNotVisible: true` for a Lighthouse identity checked from the partner tenant',
    },
  },
};

const identity = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    displayName: { type: 'string' },
    tenantId: { type: 'string' },
    clientId: { type: 'string' },
    credential: {
      type: 'object',
      description: 'The kind of credential, with the variable name or file path; never the secret',
      properties: {
        type: { type: 'string', enum: ['secret', 'secret_env', 'certificate', 'managed_identity'] },
        variable: { type: 'string' },
        path: { type: 'string' },
      },
    },
    lighthouse: {
      type: 'boolean',
      description: "The partner's own identity in its own tenant (Azure Lighthouse)",
    },
    locationId: { type: 'string' },
    objectId: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    association,
  },
};

const linkResult = {
  type: 'object',
  description:
    'What linking did. `failed` carries the verdict the health check would give (reauth_required: renew the credential; account_revoked: the app is gone from the tenant; check_failed: try again) and a message',
  properties: {
    status: {
      type: 'string',
      enum: ['linked', 'already_linked', 'replaced', 'needs_confirmation', 'failed'],
    },
    tenantId: { type: 'string' },
    objectId: { type: 'string' },
    partnerId: { type: 'string' },
    previousPartnerId: { type: ['string', 'null'] },
    currentPartnerId: { type: 'string' },
    verdict: { type: 'string', enum: [...VERDICTS] },
    code: { type: 'string', description: 'e.g. AADSTS7000222' },
    message: { type: 'string' },
  },
};

const withLink = {
  type: 'object',
  properties: { identity: ref('AutomationIdentity'), link: ref('AutomationLinkResult') },
};
const id = pathParameter('id', 'The automation identity ID');

export const automationDoc: ApiDoc = {
  schemas: { AutomationIdentity: identity, AutomationLinkResult: linkResult },
  paths: {
    '/api/automation-identities': {
      get: {
        summary: 'Automation identities',
        description:
          'Service principals and managed identities PAL Manager links and checks, with their association.',
        tags: ['Automation identities'],
        responses: {
          '200': jsonResponse('Identities', {
            type: 'object',
            properties: { identities: { type: 'array', items: ref('AutomationIdentity') } },
          }),
          ...errorResponses(401),
        },
      },
      post: {
        summary: 'Register an automation identity and link it',
        description:
          "Tenant, client ID and a credential: a client secret (stored encrypted, never returned), the name of a PAL_SP_* environment variable the service reads it from, a PEM certificate file on the server, or the service's own managed identity (partner tenant only). Then PAL is set with the identity's own token. A link that fails (expired or wrong secret, app missing from the tenant) is still a 201: the identity is registered, `link` says what to fix.",
        tags: ['Automation identities'],
        requestBody: jsonBody(registerSchema),
        responses: {
          '201': jsonResponse('Registered; the link outcome beside it', withLink),
          ...errorResponses(400, 409),
        },
      },
    },
    '/api/automation-identities/{id}': {
      get: {
        summary: 'One automation identity',
        tags: ['Automation identities'],
        parameters: [id],
        responses: { '200': jsonResponse('The identity', ref('AutomationIdentity')), ...errorResponses(404) },
      },
      delete: {
        summary: 'Remove an automation identity',
        description:
          'Forgets its credential and stops checking it; its association and history stay (inactive).',
        tags: ['Automation identities'],
        parameters: [id],
        responses: { '204': { description: 'Removed' }, ...errorResponses(404) },
      },
    },
    '/api/automation-identities/{id}/credential': {
      put: {
        summary: 'Replace the credential, then link again',
        tags: ['Automation identities'],
        parameters: [id],
        requestBody: jsonBody(credentialBodySchema),
        responses: {
          '200': jsonResponse('The identity and the link outcome', withLink),
          ...errorResponses(400, 404),
        },
      },
    },
    '/api/automation-identities/{id}/link': {
      post: {
        summary: 'Link again with the stored credential',
        tags: ['Automation identities'],
        parameters: [id],
        requestBody: jsonBody(linkBodySchema),
        responses: {
          '200': jsonResponse('The identity and the link outcome', withLink),
          ...errorResponses(400, 404),
        },
      },
    },
  },
};
