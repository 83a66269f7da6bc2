import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { resolveAuthority } from './authority.ts';
import { showAccountPicker, submitAccountPicker } from './authorize.ts';
import { isAllowedRedirectUri, stringParam } from './authorize-request.ts';
import { showAdminConsent, submitAdminConsent } from './consent.ts';
import { instanceDiscovery, openIdConfiguration } from './discovery.ts';
import { aadError } from './errors.ts';
import { renderErrorPage, renderPage, sendAadError, sendJson } from './respond.ts';
import { tokenEndpoint } from './token.ts';

type Handler = (req: Request, res: Response) => unknown;

/**
 * The simulated Microsoft identity platform, mounted at the root of the sandbox host next to
 * Resource Manager. Every route names an identity-platform path explicitly, so ARM paths
 * (`/subscriptions…`, `/providers…`, `/tenants`) never reach these handlers.
 */
export function identityRoutes(context: SandboxContext): Router {
  const router = Router();
  const urlencoded = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  /** Form bodies only; an unreadable body is an AADSTS answer, not Express's HTML error page. */
  const form = (req: Request, res: Response, next: NextFunction) =>
    urlencoded(req, res, (err?: unknown) => (err ? sendAadError(context, req, res, 9002313) : next()));

  /** Async failures become Microsoft's generic 500 rather than a hung request or a stack trace. */
  const safe =
    (handler: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await handler(req, res);
      } catch (err) {
        context.logger.error({ err, path: req.path }, 'sandbox identity platform failed');
        if (!res.headersSent) sendAadError(context, req, res, 50000);
      }
    };

  router.get(
    '/common/discovery/instance',
    safe((req, res) => {
      sendJson(
        res,
        200,
        instanceDiscovery(context.baseUrl, stringParam(req.query, 'authorization_endpoint')),
      );
    }),
  );

  router.get(
    '/:tenant/v2.0/.well-known/openid-configuration',
    safe((req, res) => {
      const authority = resolveAuthority(context.world, String(req.params.tenant));
      if (!authority) return sendAadError(context, req, res, 90002, { tenant: String(req.params.tenant) });
      sendJson(res, 200, openIdConfiguration(context.baseUrl, authority, context.browserUrl));
    }),
  );

  router.get(
    '/:tenant/discovery/v2.0/keys',
    safe((req, res) => {
      if (!resolveAuthority(context.world, String(req.params.tenant))) {
        return sendAadError(context, req, res, 90002, { tenant: String(req.params.tenant) });
      }
      sendJson(res, 200, { keys: [context.keys.publicJwk] });
    }),
  );

  router.get('/:tenant/oauth2/v2.0/authorize', safe(showAccountPicker(context)));
  router.post('/:tenant/oauth2/v2.0/authorize', form, safe(submitAccountPicker(context)));
  router.post('/:tenant/oauth2/v2.0/token', form, safe(tokenEndpoint(context)));
  router.get('/:tenant/v2.0/adminconsent', safe(showAdminConsent(context)));
  router.post('/:tenant/v2.0/adminconsent', form, safe(submitAdminConsent(context)));

  router.get(
    '/:tenant/oauth2/v2.0/logout',
    safe((req, res) => {
      const target = stringParam(req.query, 'post_logout_redirect_uri');
      // The sandbox keeps no session to end; it only sends the browser where the app asked.
      if (target && isAllowedRedirectUri(target)) {
        const url = new URL(target);
        const state = stringParam(req.query, 'state');
        if (state) url.searchParams.set('state', state);
        return res.redirect(302, url.toString());
      }
      renderPage(context, res, 'signed-out', { title: 'Signed out (sandbox)' });
    }),
  );

  // Where `error_uri` in error bodies points: a page explaining one AADSTS code.
  router.get(
    '/error',
    safe((req, res) => {
      const code = Number(stringParam(req.query, 'code'));
      if (!Number.isInteger(code) || code <= 0)
        return renderErrorPage(context, req, res, 900144, { parameter: 'code' });
      const err = aadError(code);
      renderPage(context, res, 'error-code', {
        title: `AADSTS${code} (sandbox)`,
        code,
        error: err.error,
        message: err.message,
      });
    }),
  );

  return router;
}
