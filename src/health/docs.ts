import {
  type ApiDoc,
  errorResponses,
  jsonResponse,
  pathParameter,
  queryParameters,
  ref,
} from '../admin/openapi.ts';
import { VERDICTS } from '../pal/verdicts.ts';
import { listRunsQuery } from './routes.ts';

const countsSchema = {
  type: 'object',
  description: 'Verdict → associations with it in this run (a failed check counts as check_failed)',
  propertyNames: { enum: [...VERDICTS] },
  additionalProperties: { type: 'integer' },
};

const runSchema = {
  type: 'object',
  required: ['runId', 'state', 'trigger', 'total', 'done', 'counts', 'startedAt', 'finishedAt', 'error'],
  properties: {
    runId: { type: 'string', format: 'uuid' },
    state: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] },
    trigger: { type: 'string', enum: ['schedule', 'manual', 'cli'] },
    total: { type: ['integer', 'null'], description: 'Associations in the run; null until listed' },
    done: { type: 'integer', description: 'Associations checked so far' },
    counts: countsSchema,
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    error: {
      type: ['string', 'null'],
      description: 'Why a failed run stopped ("interrupted" when its process died)',
    },
  },
};

export const healthCheckDoc: ApiDoc = {
  schemas: { CheckRun: runSchema },
  paths: {
    '/api/health-checks': {
      post: {
        summary: 'Run the PAL health check now',
        description:
          'Checks every active association in the background of the server: a fresh token for the consultant in each customer tenant, the PAL link, the subscriptions and role assignments, then a verdict per association. One run at a time: while one is running (started by anyone: the schedule, the CLI, another admin) its ID is returned with `started: false`. Follow it with `GET /api/health-checks/{runId}`.',
        tags: ['Health checks'],
        responses: {
          '202': jsonResponse('The run', {
            type: 'object',
            required: ['runId', 'started'],
            properties: {
              runId: { type: 'string', format: 'uuid' },
              started: { type: 'boolean', description: 'False when a run was already going' },
            },
          }),
          ...errorResponses(401),
        },
      },
      get: {
        summary: 'Recent health-check runs',
        description: 'Per-run summaries, most recent first.',
        tags: ['Health checks'],
        parameters: queryParameters(listRunsQuery),
        responses: {
          '200': jsonResponse('Runs', { type: 'array', items: ref('CheckRun') }),
          ...errorResponses(400, 401),
        },
      },
    },
    '/api/health-checks/{runId}': {
      get: {
        summary: 'Progress and outcome of a health-check run',
        description:
          'While running: `done` of `total` and the counts so far. Finished: the counts by verdict, or the error.',
        tags: ['Health checks'],
        parameters: [pathParameter('runId', 'The run ID from POST /api/health-checks')],
        responses: {
          '200': jsonResponse('The run', ref('CheckRun')),
          ...errorResponses(400, 401, 404),
        },
      },
    },
  },
};
