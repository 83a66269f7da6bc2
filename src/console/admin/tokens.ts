import { Router } from 'express';
import { createTokenSchema } from '../../admin/tokens/schemas.ts';
import type { ApiTokenService } from '../../admin/tokens/service.ts';
import { AppError } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import { consoleAuditContext } from '../auth/guard.ts';
import { field } from '../forms.ts';
import type { ConsoleRenderer } from '../view.ts';

/** API tokens for automation: list (never their values), create (shown once), revoke. */
export function tokenPageRoutes(deps: {
  tokens: ApiTokenService;
  render: ConsoleRenderer;
  publicBaseUrl: string;
}): Router {
  const router = Router();

  const show = async (
    res: Parameters<ConsoleRenderer>[0],
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    deps.render(
      res,
      'tokens',
      {
        title: 'API tokens',
        section: 'tokens',
        tokens: await deps.tokens.list(),
        apiBase: `${deps.publicBaseUrl}/api`,
        ...extra,
      },
      status,
    );

  router.get('/tokens', async (req, res) => {
    await show(res, {
      notice: req.query.notice === 'revoked' ? 'The token was revoked: it stops working at once.' : undefined,
    });
  });

  router.post('/tokens', async (req, res) => {
    try {
      const { name } = validate(createTokenSchema, { name: field(req, 'name') }, 'form');
      const created = await deps.tokens.create(name, consoleAuditContext(req, res));
      // Rendered straight from the POST (no redirect): the token is in this one response and nowhere else.
      await show(res, { created });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await show(res, { formError: error.message }, error.status);
    }
  });

  router.post('/tokens/:id/revoke', async (req, res) => {
    await deps.tokens.revoke(String(req.params.id), consoleAuditContext(req, res));
    res.redirect(303, '/console/tokens?notice=revoked');
  });

  return router;
}
