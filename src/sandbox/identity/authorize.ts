import type { Request, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import { checkAccess, signInChoices } from './accounts.ts';
import { type Authority, resolveAuthority } from './authority.ts';
import {
  type AuthorizeRequest,
  hiddenFields,
  stringParam,
  validateAuthorizeRequest,
} from './authorize-request.ts';
import { codeStoreFor } from './codes.ts';
import { clientInfo } from './issue.ts';
import { renderErrorPage, renderPage, returnErrorToApp, returnToApp } from './respond.ts';
import { parseScopes } from './scopes.ts';

type Validated = { authority: Authority; request: AuthorizeRequest };

/**
 * Shared by GET (the request from the app) and POST (the picker's form, whose hidden fields are
 * validated all over again: nothing the browser sends back is trusted). Answers the error itself
 * and returns undefined when the request cannot go on.
 */
function validate(
  context: SandboxContext,
  req: Request,
  res: Response,
  input: unknown,
): Validated | undefined {
  const segment = String(req.params.tenant);
  const authority = resolveAuthority(context.world, segment);
  if (!authority) {
    renderErrorPage(context, req, res, 90002, { tenant: segment });
    return undefined;
  }
  const fields = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const checked = validateAuthorizeRequest(fields, context.app.clientId, context.app.displayName);
  if (checked.ok) return { authority, request: checked.request };
  if (checked.show === 'page') renderErrorPage(context, req, res, checked.code, checked.params);
  else returnErrorToApp(context, req, res, checked.target, checked.code, checked.params);
  return undefined;
}

const targetOf = (request: AuthorizeRequest) => ({
  redirectUri: request.redirect_uri,
  responseMode: request.response_mode,
  state: request.state,
});

/** GET /{tenant}/oauth2/v2.0/authorize — the account picker. */
export function showAccountPicker(context: SandboxContext) {
  return (req: Request, res: Response) => {
    const valid = validate(context, req, res, req.query);
    if (!valid) return;
    const { authority, request } = valid;
    const accounts = signInChoices(context.world.state, authority, request.login_hint).map((choice) => ({
      id: choice.user.id,
      upn: choice.user.upn,
      displayName: choice.user.displayName,
      guest: choice.guest,
      disabled: choice.user.disabled,
      hinted: choice.hinted,
    }));
    renderPage(
      context,
      res,
      'account-picker',
      {
        title: 'Pick an account (sandbox)',
        action: `/${encodeURIComponent(String(req.params.tenant))}/oauth2/v2.0/authorize`,
        fields: hiddenFields(request),
        accounts,
        appName: context.app.displayName,
        directory: authority.kind === 'multi' ? null : authority.tenant.displayName,
      },
      { formTargets: [request.redirect_uri] },
    );
  };
}

/** POST /{tenant}/oauth2/v2.0/authorize — the picker's answer: cancel, or sign in as one account. */
export function submitAccountPicker(context: SandboxContext) {
  return (req: Request, res: Response) => {
    const valid = validate(context, req, res, req.body);
    if (!valid) return;
    const { authority, request } = valid;
    const body = req.body as Record<string, unknown>;
    const target = targetOf(request);
    const appParams = { clientId: context.app.clientId, appName: context.app.displayName };
    if (stringParam(body, 'action') === 'cancel') {
      returnErrorToApp(context, req, res, target, 65004, appParams, { error_subcode: 'cancel' });
      return;
    }
    const accountId = stringParam(body, 'account');
    const choice = signInChoices(context.world.state, authority).find((c) => c.user.id === accountId);
    if (!choice) {
      const tenant = authority.kind === 'multi' ? authority.segment : authority.tenant.defaultDomain;
      renderErrorPage(context, req, res, 50034, { ...appParams, upn: accountId ?? '', tenant });
      return;
    }
    // Interactive sign-in satisfies MFA and fresh-session requirements, so neither the revocation
    // time nor the refresh knob applies here; disabled accounts and consent policy do.
    const access = checkAccess(context.world, {
      userId: choice.user.id,
      tenantId: choice.tenantId,
      ...appParams,
    });
    if (!access.ok) {
      returnErrorToApp(context, req, res, target, access.code, access.params);
      return;
    }
    const code = codeStoreFor(context).issue({
      clientId: request.client_id,
      redirectUri: request.redirect_uri,
      codeChallenge: request.code_challenge,
      nonce: request.nonce,
      userId: access.user.id,
      tenantId: access.tenant.id,
      scopes: parseScopes(request.scope),
      issuedAt: context.clock.now(),
    });
    returnToApp(context, res, target, { code, client_info: clientInfo(access.user) });
  };
}
