import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AuditContext } from '../audit/service.ts';
import type { Config } from '../platform/config/index.ts';
import { safeEqual } from '../platform/crypto/secret-tokens.ts';
import { AppError } from '../platform/errors.ts';
import type { RateLimitStores } from '../platform/http/rate-limit.ts';
import type { ApiTokenService } from './tokens/service.ts';

/** Who is calling the admin API. */
export interface AdminIdentity {
  kind: 'bootstrap' | 'api_token';
  id: string;
  name: string;
}

export interface RequireAdminDeps {
  config: Pick<Config, 'adminApiToken'>;
  tokens: Pick<ApiTokenService, 'authenticate'>;
  /** Where failures are counted (the database when instances share PostgreSQL); memory by default. */
  rateLimits?: RateLimitStores;
}

export interface FailureLimit {
  /** Failed attempts allowed per client address within the window; the next one gets 429. */
  maxFailures: number;
  windowMs: number;
}

const DEFAULT_LIMIT: FailureLimit = { maxFailures: 30, windowMs: 5 * 60_000 };

/** RFC 6750 §2.1 `b64token`; anything longer than a few hundred characters is not one of ours. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,512}=*) *$/i;
const CHALLENGE = 'Bearer realm="pal-manager"';
const SEND_TOKEN = 'Send Authorization: Bearer <admin API token>';

const BOOTSTRAP: AdminIdentity = {
  kind: 'bootstrap',
  id: 'bootstrap',
  name: 'Bootstrap token (ADMIN_API_TOKEN)',
};

/**
 * Guards every admin API route: the caller must present the bootstrap token or an unrevoked API
 * token. Failures are counted per client address; past the limit the address is refused outright,
 * before its token is even looked at, until the window ends.
 */
export function requireAdmin(deps: RequireAdminDeps, limit: FailureLimit = DEFAULT_LIMIT): RequestHandler {
  const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  const store = deps.rateLimits?.('admin-api:failures');
  const failures = rateLimit({
    ...(store ? { store } : {}),
    windowMs: limit.windowMs,
    limit: limit.maxFailures,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: clientKey,
    handler: (req, res, next) =>
      next(tooManyFailures(res, (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime)),
  });

  const identify = async (header: string | undefined): Promise<AdminIdentity | undefined> => {
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) return undefined;
    const bootstrap = deps.config.adminApiToken;
    if (bootstrap !== undefined && safeEqual(token, bootstrap)) return BOOTSTRAP;
    const holder = await deps.tokens.authenticate(token);
    return holder ? { kind: 'api_token', ...holder } : undefined;
  };

  return async (req, res, next) => {
    const seen = await failures.getKey(clientKey(req));
    if (seen && seen.totalHits >= limit.maxFailures) return next(tooManyFailures(res, seen.resetTime));

    const admin = await identify(req.headers.authorization);
    if (admin) {
      res.locals.admin = admin;
      return next();
    }
    const sent = req.headers.authorization !== undefined;
    res.setHeader('WWW-Authenticate', sent ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE);
    const refusal = new AppError(
      'unauthorized',
      sent ? `The admin API token was not recognised (unknown or revoked). ${SEND_TOKEN}` : SEND_TOKEN,
    );
    // Counting the failure may itself push the address over the limit; then the limiter answers 429.
    failures(req, res, (error?: unknown) => next(error ?? refusal));
  };
}

function tooManyFailures(res: Response, resetTime: Date | undefined): AppError {
  const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 300;
  res.setHeader('Retry-After', String(seconds));
  res.removeHeader('WWW-Authenticate');
  return new AppError('rate_limited', `Too many failed authentication attempts; try again in ${seconds} s`);
}

/** The caller `requireAdmin` let through. Using it on an unguarded route is a bug, so it throws. */
export function adminOf(res: Response): AdminIdentity {
  const admin = res.locals.admin as AdminIdentity | undefined;
  if (!admin) throw new Error('adminOf() on a route that requireAdmin does not guard');
  return admin;
}

/** How an admin appears in the audit log and in `created_by`: stable ID first, name for people. */
export function actorOf(admin: AdminIdentity): string {
  return admin.kind === 'bootstrap' ? 'bootstrap' : `api_token:${admin.id} (${admin.name})`;
}

/** The audit context of a request: who, and which request (for matching against the logs). */
export function auditContext(req: Request, res: Response): AuditContext {
  return { actor: actorOf(adminOf(res)), requestId: req.id === undefined ? undefined : String(req.id) };
}
