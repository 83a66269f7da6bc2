import { type Response, Router } from 'express';
import type { PageRenderer } from '../../platform/http/pages.ts';
import type { MailboxStore } from './store.ts';

/**
 * The HTML part is shown as its own document with its own policy: no script, no fetches, inline
 * styles only (mail HTML has nothing else), and it may not be framed. Links still navigate, so the
 * invitation button works as it would in a mail client.
 */
const MAIL_HTML_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The sandbox's view of the outbox folder: what the service "sent", readable in the browser. */
export function mailboxRoutes(deps: { store: MailboxStore; render: PageRenderer }): Router {
  const router = Router();
  const missing = (res: Response) =>
    deps.render(res, 'sandbox/mailbox/missing', { title: 'No such message — sandbox mailbox' }, 404);

  router.get('/sandbox/mailbox', async (_req, res) => {
    deps.render(res, 'sandbox/mailbox/list', {
      title: 'Sandbox mailbox',
      messages: await deps.store.list(),
    });
  });

  router.get('/sandbox/mailbox/:file', async (req, res) => {
    const message = await deps.store.read(req.params.file);
    if (!message) return missing(res);
    deps.render(res, 'sandbox/mailbox/message', {
      title: `${message.subject} — sandbox mailbox`,
      message,
      headers: message.mail.headers.filter((h) => !/^(content-|mime-version$)/i.test(h.name)),
    });
  });

  router.get('/sandbox/mailbox/:file/html', async (req, res) => {
    const message = await deps.store.read(req.params.file);
    if (message?.mail.html === undefined) return missing(res);
    res
      .status(200)
      .set({
        'Content-Security-Policy': MAIL_HTML_POLICY,
        'X-Frame-Options': 'DENY',
        'Cache-Control': 'no-store',
      })
      .type('html')
      .send(message.mail.html);
  });

  return router;
}
