import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../platform/config/index.ts';
import type { ConsoleSession, ConsoleSessions } from '../sessions/service.ts';
import type { ConsoleCookies } from './cookies.ts';

export interface GuardDeps {
  sessions: Pick<ConsoleSessions, 'find' | 'end'>;
  cookies: ConsoleCookies;
  config: Pick<Config, 'adminEmails'>;
  /** Answers a refused request with a page (401 when no session, 403 for forgeries). */
  refuse: (res: Response, status: 401 | 403, reason: string) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Where to come back to after signing in: only a console path of ours, never another site. */
export function safeReturnTo(raw: unknown): string {
  return typeof raw === 'string' && /^\/console(?:[/?][^\\\s]*)?$/.test(raw) && !raw.startsWith('//')
    ? raw
    : '/console';
}

/** Whether the caller asked for JSON (the console's polling endpoints) rather than a page. */
const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/**
 * Lets only signed-in admins through. Anonymous page requests are sent to sign in (and brought back),
 * JSON requests get 401, anything that would change state is refused outright. An admin admitted by
 * `ADMIN_EMAILS` who is no longer listed loses the session at once, not at its expiry.
 */
export function requireConsoleSession(deps: GuardDeps): RequestHandler {
  return async (req, res, next) => {
    const sessionId = deps.cookies.sessionId(req);
    let session = await deps.sessions.find(sessionId);
    if (session?.allowedBy === 'admin_emails' && !deps.config.adminEmails.includes(session.email)) {
      await deps.sessions.end(session.id);
      session = undefined;
    }
    if (session) {
      res.locals.consoleSession = session;
      return next();
    }
    if (sessionId) res.clearCookie(deps.cookies.session.name, deps.cookies.session.options);
    if (!SAFE_METHODS.has(req.method)) return deps.refuse(res, 401, 'Sign in to the console first.');
    if (wantsJson(req)) {
      res.status(401).json({
        error: {
          code: 'unauthorized',
          message: 'Sign in to the console first',
          requestId: String(req.id ?? ''),
        },
      });
      return;
    }
    res.redirect(303, `/console/sign-in?returnTo=${encodeURIComponent(safeReturnTo(req.originalUrl))}`);
  };
}

/** The session `requireConsoleSession` found. Using it on an unguarded route is a bug, so it throws. */
export function sessionOf(res: Response): ConsoleSession {
  const session = res.locals.consoleSession as ConsoleSession | undefined;
  if (!session) throw new Error('sessionOf() on a route that requireConsoleSession does not guard');
  return session;
}

/** How a console admin appears in the audit log and in `created_by`. */
export function consoleActor(session: Pick<ConsoleSession, 'email'>): string {
  return `console:${session.email}`;
}

/** The audit context of a console request. */
export function consoleAuditContext(req: Request, res: Response) {
  return {
    actor: consoleActor(sessionOf(res)),
    requestId: req.id === undefined ? undefined : String(req.id),
  };
}
