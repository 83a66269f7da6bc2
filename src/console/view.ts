import type { Response } from 'express';
import type { Config } from '../platform/config/index.ts';
import type { Templates } from '../platform/templates.ts';
import type { ConsoleSession } from './sessions/service.ts';

export type Tone = 'ok' | 'warn' | 'bad' | 'none';

/** Every verdict in words, with a tone and a symbol: status is never told by colour alone. */
const VERDICTS: Record<string, { label: string; tone: Tone; meaning: string }> = {
  account_revoked: {
    label: 'Account revoked',
    tone: 'bad',
    meaning: 'disabled, deleted or removed from the tenant',
  },
  reauth_required: { label: 'Sign-in needed', tone: 'bad', meaning: 'the consultant must sign in again' },
  check_failed: { label: 'Check failed', tone: 'warn', meaning: 'a transient error; retried next run' },
  pal_missing: { label: 'PAL missing', tone: 'bad', meaning: 'no PAL link in this tenant' },
  pal_mismatch: { label: 'Wrong partner ID', tone: 'bad', meaning: 'linked to another ID' },
  no_access: { label: 'No access', tone: 'bad', meaning: 'no active role assignment: no attribution' },
  reader_only: { label: 'Reader only', tone: 'warn', meaning: 'no incentive-eligible role' },
  healthy: { label: 'Healthy', tone: 'ok', meaning: 'linked, with an eligible role' },
};
const SYMBOL: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✗', none: '–' };

export function verdictView(verdict: string | null | undefined) {
  const known = verdict ? VERDICTS[verdict] : undefined;
  const view = known ?? { label: verdict ? verdict : 'Not checked yet', tone: 'none' as Tone, meaning: '' };
  return { ...view, symbol: SYMBOL[view.tone], verdict: verdict ?? null };
}

/** `2026-11-20 09:00 UTC`: admins compare times across pages, so one zone and one format. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The console's navigation; `section` marks the current page for screen readers (aria-current). */
export const NAV = [
  { section: 'dashboard', href: '/console', label: 'Dashboard' },
  { section: 'consultants', href: '/console/consultants', label: 'Consultants' },
  { section: 'findings', href: '/console/findings', label: 'Findings' },
  { section: 'automation', href: '/console/automation', label: 'Automation' },
  { section: 'audit', href: '/console/audit', label: 'Audit log' },
  { section: 'tokens', href: '/console/tokens', label: 'API tokens' },
  { section: 'settings', href: '/console/settings', label: 'Settings' },
] as const;

/**
 * Renders a console page in the console layout: the signed-in admin, the session's form token, the
 * navigation and the SANDBOX label. Pages are never cached (they show people's data).
 */
export function createConsoleRenderer(deps: {
  templates: Templates;
  config: Pick<Config, 'sandbox' | 'partner'>;
}) {
  return (res: Response, template: string, data: Record<string, unknown>, status = 200) => {
    const session = res.locals.consoleSession as ConsoleSession | undefined;
    const html = deps.templates.render(`console/${template}`, {
      sandbox: deps.config.sandbox.enabled,
      partnerName: deps.config.partner.name,
      admin: session ? { email: session.email, name: session.name } : undefined,
      csrf: session?.csrfToken ?? '',
      nav: NAV,
      section: '',
      requestId: String(res.req.id ?? ''),
      verdictView,
      when,
      ...data,
    });
    res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
  };
}

export type ConsoleRenderer = ReturnType<typeof createConsoleRenderer>;
