import express, { type Request, type Response, Router } from 'express';
import { perMinuteLimit, type RateLimitStores } from '../../platform/http/rate-limit.ts';
import type { ConsoleSessions } from '../sessions/service.ts';
import type { ConsoleRenderer } from '../view.ts';
import { CONSOLE_CALLBACK_PATH } from './callback-url.ts';
import type { ConsoleCookies } from './cookies.ts';
import { fromOurOrigin } from './csrf.ts';
import { safeReturnTo, sessionOf } from './guard.ts';
import type { ConsoleSignIn, SignInProblem } from './sign-in.ts';

/** What the sign-in page says after each way a sign-in can end without a session. */
const NOTICES: Record<SignInProblem | 'signed_out', string> = {
  signed_out: 'You are signed out.',
  cancelled: 'Sign-in was cancelled. Sign in again when you are ready.',
  expired: 'The sign-in took too long. Please sign in again.',
  invalid: 'That sign-in could not be matched to this browser. Please sign in again from this page.',
  failed:
    'Microsoft did not complete the sign-in. Please try again; if it keeps failing, check the app registration.',
};

export interface AuthRouteDeps {
  signIn: ConsoleSignIn;
  rateLimits: RateLimitStores;
  sessions: Pick<ConsoleSessions, 'find' | 'end'>;
  cookies: ConsoleCookies;
  render: ConsoleRenderer;
  origin: string;
}

/** The console's only public routes: the sign-in page, its start, and Microsoft's callback. */
export function consoleAuthRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const limiter = (name: string, limit: number) =>
    perMinuteLimit(deps.rateLimits, `console:${name}`, limit, (_req, res) =>
      showSignIn(
        res,
        'Too many sign-in attempts from this address. Wait a minute and try again.',
        '/console',
        429,
      ),
    );
  const showSignIn = (res: Response, notice: string | undefined, returnTo: string, status = 200) =>
    deps.render(res, 'sign-in', { title: 'Sign in', notice, returnTo }, status);
  const requestId = (req: Request) => String(req.id ?? '');

  router.get('/sign-in', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    if (await deps.sessions.find(deps.cookies.sessionId(req))) return res.redirect(303, returnTo);
    const notice =
      typeof req.query.notice === 'string' ? NOTICES[req.query.notice as keyof typeof NOTICES] : undefined;
    showSignIn(res, notice, returnTo);
  });

  // Starting is a POST from our own page: a GET link elsewhere cannot make a browser start sign-ins.
  router.post('/sign-in', limiter('sign-in', 20), (req, res, next) => {
    if (!fromOurOrigin(req, deps.origin))
      return showSignIn(res, 'Start signing in from this page.', '/console', 403);
    form(req, res, async (error?: unknown) => {
      if (error) return next(error);
      const started = await deps.signIn.start(safeReturnTo((req.body as Record<string, unknown>)?.returnTo));
      res.cookie(deps.cookies.signIn.name, started.browserSecret, deps.cookies.signIn.options);
      res.redirect(303, started.url);
    });
  });

  router.get(CONSOLE_CALLBACK_PATH.replace('/console', ''), limiter('callback', 30), async (req, res) => {
    const text = (name: string) =>
      typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    const outcome = await deps.signIn.finish({
      state: text('state'),
      code: text('code'),
      error: text('error'),
      browserSecret: deps.cookies.signInSecret(req),
      previousSessionId: deps.cookies.sessionId(req),
      requestId: requestId(req),
    });
    res.clearCookie(deps.cookies.signIn.name, deps.cookies.signIn.options);
    if (outcome.kind === 'signed_in') {
      res.cookie(deps.cookies.session.name, outcome.session.id, deps.cookies.session.options);
      return res.redirect(303, outcome.returnTo);
    }
    if (outcome.kind === 'refused') {
      return deps.render(res, 'refused', { title: 'Not an admin', email: outcome.email }, 403);
    }
    showSignIn(res, NOTICES[outcome.problem], '/console', 400);
  });

  return router;
}

/** Sign-out: a guarded, CSRF-checked POST; the session row goes, so the cookie is worthless anywhere. */
export function signOutRoute(deps: {
  sessions: Pick<ConsoleSessions, 'end'>;
  cookies: ConsoleCookies;
  record: (req: Request, res: Response) => Promise<void>;
}) {
  return async (req: Request, res: Response) => {
    await deps.record(req, res);
    await deps.sessions.end(sessionOf(res).id);
    res.clearCookie(deps.cookies.session.name, deps.cookies.session.options);
    res.redirect(303, '/console/sign-in?notice=signed_out');
  };
}
