import type { Request, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import type { SandboxTenant } from '../world/model.ts';
import { resolveAuthority } from './authority.ts';
import { isAllowedRedirectUri, stringParam } from './authorize-request.ts';
import type { AadErrorParams } from './errors.ts';
import { renderErrorPage, renderPage, returnErrorToApp, returnToApp } from './respond.ts';

interface ConsentRequest {
  tenant: SandboxTenant;
  fields: { client_id: string; redirect_uri: string; state?: string; scope?: string };
}

type Checked = { ok: true; request: ConsentRequest } | { ok: false; code: number; params: AadErrorParams };

/**
 * The admin-consent endpoint (`/{tenant}/v2.0/adminconsent`): what the service's "ask the customer's
 * admin" link opens. The sandbox has no customer admins to sign in, so the page acts as one. Every
 * failure is a page: without a valid redirect URI there is nowhere safe to send the browser.
 */
function check(context: SandboxContext, segment: string, input: unknown): Checked {
  const authority = resolveAuthority(context.world, segment);
  if (!authority) return { ok: false, code: 90002, params: { tenant: segment } };
  const fields = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const clientId = stringParam(fields, 'client_id');
  const redirectUri = stringParam(fields, 'redirect_uri');
  const params = {
    clientId: clientId ?? '',
    appName: context.app.displayName,
    redirectUri: redirectUri ?? '',
  };
  const fail = (code: number, extra: AadErrorParams = {}): Checked => ({
    ok: false,
    code,
    params: { ...params, ...extra },
  });
  if (!clientId) return fail(900144, { parameter: 'client_id' });
  if (clientId.toLowerCase() !== context.app.clientId.toLowerCase()) return fail(700016);
  if (!redirectUri) return fail(900144, { parameter: 'redirect_uri' });
  if (!isAllowedRedirectUri(redirectUri)) return fail(50011);
  // At Microsoft the signed-in admin's own tenant would be meant; the sandbox has no such person.
  if (authority.kind === 'multi') return fail(900023, { tenant: authority.segment });
  const state = stringParam(fields, 'state');
  const scope = stringParam(fields, 'scope');
  return {
    ok: true,
    request: {
      tenant: authority.tenant,
      fields: {
        client_id: clientId,
        redirect_uri: redirectUri,
        ...(state ? { state } : {}),
        ...(scope ? { scope } : {}),
      },
    },
  };
}

export function showAdminConsent(context: SandboxContext) {
  return (req: Request, res: Response) => {
    const checked = check(context, String(req.params.tenant), req.query);
    if (!checked.ok) return renderErrorPage(context, req, res, checked.code, checked.params);
    const valid = checked.request;
    renderPage(
      context,
      res,
      'admin-consent',
      {
        title: 'Grant admin consent (sandbox)',
        action: `/${encodeURIComponent(String(req.params.tenant))}/v2.0/adminconsent`,
        appName: context.app.displayName,
        tenantName: valid.tenant.displayName,
        alreadyGranted: valid.tenant.adminConsentGranted,
        scope: valid.fields.scope ?? 'https://management.azure.com/user_impersonation',
        fields: Object.entries(valid.fields).map(([name, value]) => ({ name, value })),
      },
      { formTargets: [valid.fields.redirect_uri] },
    );
  };
}

export function submitAdminConsent(context: SandboxContext) {
  return (req: Request, res: Response) => {
    const checked = check(context, String(req.params.tenant), req.body);
    if (!checked.ok) return renderErrorPage(context, req, res, checked.code, checked.params);
    const valid = checked.request;
    const target = {
      redirectUri: valid.fields.redirect_uri,
      responseMode: 'query' as const,
      state: valid.fields.state,
    };
    if (stringParam(req.body as Record<string, unknown>, 'action') !== 'accept') {
      returnErrorToApp(context, req, res, target, 65004);
      return;
    }
    const tenantId = valid.tenant.id;
    context.world.change((state) => {
      const tenant = state.tenants.find((t) => t.id === tenantId);
      if (tenant) tenant.adminConsentGranted = true;
    });
    context.logger.info({ tenantId }, 'sandbox: admin consent granted');
    returnToApp(context, res, target, {
      admin_consent: 'True',
      tenant: tenantId,
      ...(valid.fields.scope ? { scope: valid.fields.scope } : {}),
    });
  };
}
