import { parseCookie } from 'cookie';
import express, { type Request, type Response, Router } from 'express';
import type { Config } from '../platform/config/index.ts';
import type { PageRenderer } from '../platform/http/pages.ts';
import { perMinuteLimit, type RateLimitStores } from '../platform/http/rate-limit.ts';
import { DECISION_WINDOW_MS } from './attempts.ts';
import type { Journey, Problem, ResultView } from './journey.ts';
import { PROBLEMS } from './problems.ts';
import { resultRows } from './result-rows.ts';

const BROWSER_COOKIE = 'pal_signin';

export interface OnboardingRouteDeps {
  journey: Journey;
  /** Where the per-address limits are counted (memory, or the database shared by instances). */
  rateLimits: RateLimitStores;
  render: PageRenderer;
  config: Pick<Config, 'publicBaseUrl' | 'partner' | 'azure'>;
  audit: {
    record(event: {
      actor: string;
      action: string;
      subjectType?: string;
      subjectId?: string;
      requestId?: string;
    }): Promise<unknown>;
  };
}

/** The consultant's pages: the invitation link, the OAuth callback and the choices after sign-in. */
export function onboardingRoutes(deps: OnboardingRouteDeps): Router {
  const router = Router();
  const secure = deps.config.publicBaseUrl.startsWith('https://');
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const limiter = (name: string, limit: number) =>
    perMinuteLimit(deps.rateLimits, `onboarding:${name}`, limit, (_req, res) =>
      deps.render(
        res,
        'onboarding/problem',
        {
          title: 'Too many attempts',
          problem: {
            title: 'Too many attempts',
            message: 'This address made too many requests in a short time.',
            next: 'Wait a minute and try again.',
          },
        },
        429,
      ),
    );
  const requestId = (req: Request) => String(req.id ?? '');
  const browserSecret = (req: Request) => parseCookie(req.headers.cookie ?? '')[BROWSER_COOKIE];

  const showProblem = (res: Response, view: Problem, extra: Record<string, unknown> = {}) => {
    const problem = PROBLEMS[view.problem];
    const status = view.reportedByBrowser && problem.status >= 500 ? 400 : problem.status;
    deps.render(
      res,
      'onboarding/problem',
      { title: problem.title, problem, detail: view.detail, ...extra },
      status,
    );
  };
  const showResult = (res: Response, view: ResultView) => {
    deps.render(res, 'onboarding/result', {
      title: view.completed ? 'PAL is set' : 'Almost there',
      partnerName: deps.config.partner.name,
      consultant: view.consultant,
      attemptId: view.attemptId,
      completed: view.completed,
      rows: resultRows(deps.config, view.consultant.locationId, view.results),
    });
  };
  const redirectToMicrosoft = (res: Response, view: { url: string; browserSecret: string }) => {
    res.cookie(BROWSER_COOKIE, view.browserSecret, {
      httpOnly: true,
      secure,
      sameSite: 'lax',
      path: '/auth',
      maxAge: DECISION_WINDOW_MS,
    });
    res.redirect(303, view.url);
  };

  // GET only renders: mail scanners open every link, so nothing may change here.
  router.get('/i/:token', limiter('invitation', 60), async (req, res) => {
    const view = await deps.journey.viewLanding(String(req.params.token), requestId(req));
    if (view.kind !== 'open') {
      showProblem(
        res,
        view,
        view.problem === 'link_expired' ? { renewAction: `/i/${String(req.params.token)}/renew` } : {},
      );
      return;
    }
    deps.render(res, 'onboarding/landing', {
      title: `Link your Azure work to ${deps.config.partner.name}`,
      partnerName: deps.config.partner.name,
      consultant: view.consultant,
      tenantId: view.invitation.tenant_id,
      expiresOn: view.invitation.expires_at.slice(0, 10),
    });
  });

  router.post('/i/:token', limiter('continue', 20), async (req, res) => {
    const view = await deps.journey.startSignIn(String(req.params.token), requestId(req));
    if (view.kind === 'redirect') redirectToMicrosoft(res, view);
    else showProblem(res, view);
  });

  router.post('/i/:token/renew', limiter('renew', 10), async (req, res) => {
    const view = await deps.journey.openInvitation(String(req.params.token));
    if (view.kind === 'problem' && view.problem === 'link_expired' && view.invitationId) {
      await deps.audit.record({
        actor: 'consultant',
        action: 'invitation.renewal_requested',
        subjectType: 'invitation',
        subjectId: view.invitationId,
        requestId: requestId(req),
      });
      deps.render(res, 'onboarding/renewal-requested', {
        title: 'Request sent',
        partnerName: deps.config.partner.name,
      });
      return;
    }
    showProblem(res, view.kind === 'problem' ? view : { kind: 'problem', problem: 'link_unknown' });
  });

  router.get('/auth/callback', limiter('callback', 30), async (req, res) => {
    const text = (name: string) =>
      typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    const view = await deps.journey.handleCallback({
      state: text('state'),
      code: text('code'),
      error: text('error'),
      errorDescription: text('error_description'),
      browserSecret: browserSecret(req),
      requestId: requestId(req),
    });
    if (view.kind === 'result') showResult(res, view);
    else showProblem(res, view);
  });

  /** The fields every form on the result page posts, plus the browser binding. */
  const resultForm = (req: Request) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return {
      attemptId: String(body.attempt ?? ''),
      tenantId: String(body.tenant ?? ''),
      choice: String(body.choice ?? ''),
      browserSecret: browserSecret(req),
      requestId: requestId(req),
    };
  };

  router.post('/auth/decide', limiter('decide', 20), form, async (req, res) => {
    const { choice, ...input } = resultForm(req);
    const view = await deps.journey.decide({ ...input, replace: choice === 'replace' });
    if (view.kind === 'result') showResult(res, view);
    else showProblem(res, view);
  });

  router.post('/auth/continue', limiter('after-sign-in', 20), form, async (req, res) => {
    const { choice: _unused, ...input } = resultForm(req);
    const view = await deps.journey.continueInTenant(input);
    if (view.kind === 'redirect') redirectToMicrosoft(res, view);
    else showProblem(res, view);
  });

  // Where a customer's administrator lands after the admin-consent prompt. The `tenant` parameter is
  // never trusted for anything; the page only says thank you.
  router.get('/auth/admin-consent', limiter('admin-consent', 30), (req, res) => {
    const granted = req.query.admin_consent === 'True' && !req.query.error;
    deps.render(res, 'onboarding/admin-consent', { title: granted ? 'Approved' : 'Not approved', granted });
  });

  return router;
}
