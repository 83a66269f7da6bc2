import { type Response, Router } from 'express';
import { consoleAuditContext } from '../console/auth/guard.ts';
import { field } from '../console/forms.ts';
import { type ConsoleRenderer, verdictView } from '../console/view.ts';
import { AppError } from '../platform/errors.ts';
import { validate } from '../platform/http/validate.ts';
import type { CredentialInput } from './model.ts';
import { registerSchema } from './schemas.ts';
import type { AutomationService } from './service.ts';
import type { IdentityView } from './view.ts';

const CREDENTIAL_LABELS: Record<string, string> = {
  secret: 'client secret (stored encrypted)',
  secret_env: 'secret in environment',
  certificate: 'certificate',
  managed_identity: 'managed identity',
};

function credentialLabel(credential: IdentityView['credential']): string {
  const label = CREDENTIAL_LABELS[credential.type] ?? credential.type;
  const where = credential.variable ?? credential.path;
  return where ? `${label}: ${where}` : label;
}

/** The console's automation-identities page: the list with verdicts, register, link again. */
export function automationPageRoutes(deps: {
  automation: AutomationService;
  render: ConsoleRenderer;
}): Router {
  const router = Router();

  const show = async (res: Response, extra: Record<string, unknown> = {}, status = 200) =>
    deps.render(
      res,
      'automation',
      {
        title: 'Automation identities',
        section: 'automation',
        identities: await deps.automation.list(),
        verdictView,
        credentialLabel,
        ...extra,
      },
      status,
    );

  router.get('/automation', async (_req, res) => {
    await show(res);
  });

  router.post('/automation', async (req, res) => {
    try {
      const input = validate(
        registerSchema,
        {
          tenantId: field(req, 'tenantId'),
          clientId: field(req, 'clientId'),
          credential: credentialFromForm((name) => field(req, name)),
          ...(field(req, 'displayName').trim() ? { displayName: field(req, 'displayName') } : {}),
          ...(field(req, 'replaceOtherPartner') ? { replaceOtherPartner: true } : {}),
        },
        'form',
      );
      const outcome = await deps.automation.register(input, consoleAuditContext(req, res));
      // Rendered from the POST: the result belongs to this one response.
      await show(res, { result: outcome }, 201);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await show(res, { formError: error.message }, error.status);
    }
  });

  router.post('/automation/:id/link', async (req, res) => {
    const outcome = await deps.automation.link(String(req.params.id), {}, consoleAuditContext(req, res));
    await show(res, { result: outcome });
  });

  return router;
}

function credentialFromForm(value: (name: string) => string): CredentialInput | object {
  switch (value('credentialType')) {
    case 'secret':
      return { type: 'secret', secret: value('secret') };
    case 'secret_env':
      return { type: 'secret_env', variable: value('variable').trim() };
    case 'certificate':
      return { type: 'certificate', path: value('path') };
    case 'managed_identity':
      return { type: 'managed_identity' };
    default:
      return { type: value('credentialType') };
  }
}
