import type { Request, RequestHandler, Response } from 'express';
import type { ConsoleSessions } from '../sessions/service.ts';
import { sessionOf } from './guard.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Whether a state-changing request comes from one of our own pages. Browsers send `Origin` on every
 * POST (console pages use `Referrer-Policy: same-origin`, so it is the real origin, not "null");
 * `Referer` is the fallback for the rare client that sends only that. Neither → refused.
 */
export function fromOurOrigin(req: Request, origin: string): boolean {
  const sent = req.headers.origin;
  if (sent !== undefined) return sent === origin;
  const referer = req.headers.referer;
  return typeof referer === 'string' && (referer === origin || referer.startsWith(`${origin}/`));
}

/** Refuses a cross-site POST before its body is even read. */
export function requireSameOrigin(
  origin: string,
  refuse: (res: Response, status: 403, reason: string) => void,
): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || fromOurOrigin(req, origin)) return next();
    refuse(res, 403, 'This form was not sent from a PAL Manager page.');
  };
}

/**
 * The synchronizer token: every console form carries the session's token in `_csrf`, checked in
 * constant time after the body is read. A page from another site cannot read it, so cannot forge it.
 */
export function requireCsrfToken(
  sessions: Pick<ConsoleSessions, 'csrfMatches'>,
  refuse: (res: Response, status: 403, reason: string) => void,
): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const presented = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (sessions.csrfMatches(sessionOf(res).id, presented)) return next();
    refuse(
      res,
      403,
      'This form has expired or was not sent from a PAL Manager page. Reload the page and try again.',
    );
  };
}
