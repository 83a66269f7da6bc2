import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SandboxContext } from '../context.ts';
import type { ResponseMode } from './authorize-request.ts';
import { type AadErrorParams, aadDescription, aadError, aadErrorBody, type ErrorMeta } from './errors.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Microsoft echoes the caller's `client-request-id` (header or query) as the correlation ID. */
export function errorMeta(context: SandboxContext, req: Request): ErrorMeta {
  const fromQuery =
    typeof req.query['client-request-id'] === 'string' ? req.query['client-request-id'] : undefined;
  const candidate = req.get('client-request-id') ?? fromQuery;
  return {
    now: context.clock.now(),
    baseUrl: context.baseUrl,
    correlationId: candidate && GUID.test(candidate) ? candidate : randomUUID(),
    traceId: randomUUID(),
  };
}

/** Token and discovery responses must never be cached by anything in between. */
function noStore(res: Response) {
  res.set({ 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' });
}

export function sendJson(res: Response, status: number, body: unknown) {
  noStore(res);
  res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export function sendAadError(
  context: SandboxContext,
  req: Request,
  res: Response,
  code: number,
  params: AadErrorParams = {},
) {
  const err = aadError(code, params);
  if (err.status === 429) res.set('Retry-After', String(context.world.knobs().retryAfterSeconds));
  sendJson(res, err.status, aadErrorBody(err, errorMeta(context, req)));
}

/**
 * Renders a sandbox page. No script runs on these pages; forms may only go back to the sandbox or
 * to the redirect URI the request named (CSP `form-action` also governs the redirect after a POST).
 */
export function renderPage(
  context: SandboxContext,
  res: Response,
  template: string,
  data: Record<string, unknown>,
  options: { status?: number; formTargets?: string[] } = {},
) {
  const targets = (options.formTargets ?? []).map((uri) => new URL(uri).origin);
  noStore(res);
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self'",
      `form-action 'self' ${targets.join(' ')}`.trim(),
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
  });
  res
    .status(options.status ?? 200)
    .type('html')
    .send(context.templates.render(`sandbox/${template}`, { ...data, sandbox: true }));
}

/** Microsoft's "Sorry, but we're having trouble signing you in" page, for requests it cannot redirect. */
export function renderErrorPage(
  context: SandboxContext,
  req: Request,
  res: Response,
  code: number,
  params: AadErrorParams = {},
) {
  const err = aadError(code, params);
  const description = aadDescription(err, errorMeta(context, req));
  renderPage(
    context,
    res,
    'sign-in-error',
    { title: 'Sign-in error (sandbox)', code, error: err.error, description },
    { status: 400 },
  );
}

export interface RedirectTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state: string | undefined;
}

/** Sends the browser back to the app with `params` (+ `state`), in the response mode it asked for. */
export function returnToApp(
  context: SandboxContext,
  res: Response,
  target: RedirectTarget,
  params: Record<string, string>,
) {
  const all = { ...params, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.responseMode === 'form_post') {
    // No script may run here (CSP), so the page asks for one click instead of auto-submitting.
    renderPage(
      context,
      res,
      'form-post',
      { title: 'Continue to the app (sandbox)', action: target.redirectUri, fields: Object.entries(all) },
      { formTargets: [target.redirectUri] },
    );
    return;
  }
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(all).toString();
  } else {
    for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  }
  noStore(res);
  res.redirect(302, url.toString());
}

/** An OAuth error sent back to the redirect URI, with Microsoft's AADSTS description. */
export function returnErrorToApp(
  context: SandboxContext,
  req: Request,
  res: Response,
  target: RedirectTarget,
  code: number,
  params: AadErrorParams = {},
  extra: Record<string, string> = {},
) {
  const err = aadError(code, params);
  const description = aadDescription(err, errorMeta(context, req));
  // `invalid_grant` is a token-endpoint answer; the front channel says consent_required or access_denied.
  const error =
    err.suberror === 'consent_required'
      ? 'consent_required'
      : err.error === 'invalid_grant'
        ? 'access_denied'
        : err.error;
  returnToApp(context, res, target, { error, ...extra, error_description: description });
}
