import express, { type ErrorRequestHandler, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import type { ArmCallCounter } from '../arm/calls.ts';
import { armTime } from '../arm/time.ts';
import type { SandboxContext } from '../context.ts';
import { issueSignInCodes } from '../linked-consultants.ts';
import { registerAssignmentRoutes } from './assignments.ts';
import { addBulkConsultants } from './bulk.ts';
import { registerLinkRoutes } from './links.ts';
import { registerPeopleRoutes } from './people.ts';
import { roleOr404, tenantOr404 } from './resolve.ts';
import { registerServicePrincipalRoutes } from './service-principals.ts';
import { worldSummary } from './summary.ts';

/** What the server lends the control API beyond the context. */
export interface ControlHooks {
  /** Restarts the fault dice from a seed, so a run can be repeated. */
  reseedDice(seed: number): void;
  /** Puts the world back to its seed (default knobs, dice and call counts too). */
  reset(): void;
  /** The simulated Resource Manager's call counts. */
  armCalls: ArmCallCounter;
}

const rate = z.number().min(0).max(1);
const signInCodesBody = z.object({
  userIds: z.array(z.string().max(100)).min(1).max(10_000),
  redirectUri: z.url(),
  codeChallenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url SHA-256 (S256) challenge'),
  nonce: z.string().min(1).max(200),
});

const knobsBody = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    throttleRate: rate.optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    serverErrorRate: rate.optional(),
    serverErrorStatus: z.union([z.literal(500), z.literal(503), z.null()]).optional(),
    resetRate: rate.optional(),
    timeoutRate: rate.optional(),
    hangMs: z.number().int().min(1).max(600_000).optional(),
    seed: z.number().int().optional(),
  })
  .strict();
const bulkBody = z
  .object({
    count: z.number().int().min(1).max(50_000),
    tenants: z.union([z.number().int().min(1).max(100), z.array(z.string().min(1)).min(1)]).optional(),
    subscriptionsPerTenant: z.number().int().min(1).max(50).default(3),
    role: z.string().min(1).default('Contributor'),
    partnerId: z
      .string()
      .regex(/^\d{1,12}$/, 'a partner ID is digits')
      .optional(),
  })
  .strict();

/**
 * The sandbox control API (`/_sandbox/control`): JSON in and out, for tests, benchmarks and the
 * demo to look at and change the simulated world. Bad input is a 400 naming the problem.
 */
export function controlRoutes(context: SandboxContext, hooks: ControlHooks): Router {
  const { world, clock } = context;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/world', (req, res) => {
    const limit = Number(req.query.limit ?? 500);
    res.json(worldSummary(world, Number.isInteger(limit) && limit > 0 ? limit : 500));
  });
  router.get('/world/raw', (_req, res) => {
    res.json(world.state);
  });

  router.patch('/knobs', (req, res) => {
    const body = validate(knobsBody, req.body, 'body');
    world.change((state) => {
      const { serverErrorStatus, ...rest } = body;
      Object.assign(state.knobs, rest);
      if (serverErrorStatus === null) delete state.knobs.serverErrorStatus;
      else if (serverErrorStatus) state.knobs.serverErrorStatus = serverErrorStatus;
    });
    if (body.seed !== undefined) hooks.reseedDice(body.seed);
    res.json(world.knobs());
  });

  registerPeopleRoutes(router, context);
  registerAssignmentRoutes(router, context);
  registerLinkRoutes(router, context);
  registerServicePrincipalRoutes(router, context);

  router.post('/bulk/consultants', (req, res) => {
    const body = validate(bulkBody, req.body, 'body');
    const existing = Array.isArray(body.tenants) ? body.tenants.map((t) => tenantOr404(world, t)) : [];
    const partnerTenant = existing.find((t) => t.isPartnerTenant);
    if (partnerTenant) {
      throw new AppError('bad_request', `tenants: ${partnerTenant.displayName} is the partner's own tenant`);
    }
    const result = world.change((state) =>
      addBulkConsultants(state, {
        count: body.count,
        tenants: existing,
        generate: typeof body.tenants === 'number' ? body.tenants : existing.length === 0 ? 1 : 0,
        subscriptionsPerTenant: body.subscriptionsPerTenant,
        role: (tenant) => roleOr404(world, tenant, body.role),
        partnerId: body.partnerId,
        now: armTime(clock.now()),
      }),
    );
    res.status(201).json(result);
  });

  // Sign-in codes as the account picker would issue them, for consultants seeded in bulk (`pal
  // sandbox-seed` redeems them as the OAuth callback does: no browser needed for a thousand).
  router.post('/sign-in-codes', (req, res) => {
    const body = validate(signInCodesBody, req.body, 'body');
    const partner = world.state.tenants.find((t) => t.isPartnerTenant);
    if (!partner) throw new AppError('bad_request', 'the world has no partner tenant');
    const known = new Set(world.state.users.map((u) => u.id));
    const unknown = body.userIds.find((userId) => !known.has(userId));
    if (unknown) throw new AppError('not_found', `no user ${unknown}`);
    res.status(201).json({ codes: issueSignInCodes(context, body.userIds, body, partner.id) });
  });

  router.get('/calls', (_req, res) => {
    res.json(hooks.armCalls.snapshot());
  });
  router.delete('/calls', (_req, res) => {
    hooks.armCalls.reset();
    res.status(204).end();
  });

  router.post('/reset', (_req, res) => {
    hooks.reset();
    res.json(worldSummary(world));
  });

  router.use(controlErrors(context));
  return router;
}

/** One error shape for the control API: `{ error: { code, message } }`; a bug is a logged 500. */
function controlErrors(context: SandboxContext): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof AppError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      // express.json: malformed JSON, too large, wrong charset.
      res.status(status).json({ error: { code: 'bad_request', message: (error as Error).message } });
      return;
    }
    context.logger.error({ err: error }, 'sandbox control API failed');
    res
      .status(500)
      .json({ error: { code: 'internal', message: 'The sandbox control API failed; see the log' } });
  };
}
