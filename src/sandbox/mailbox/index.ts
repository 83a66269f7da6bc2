import type { Router } from 'express';
import type { Deps } from '../../deps.ts';
import { outboxDir } from '../../mail/outbox-folder.ts';
import { createPageRenderer } from '../../platform/http/pages.ts';
import { mailboxRoutes } from './routes.ts';
import { createMailboxStore } from './store.ts';

/**
 * The sandbox mailbox: the outbox folder in the browser. Only for the sandbox (the caller mounts it
 * only then) and only when mail really goes to the folder.
 */
export function sandboxMailbox(deps: Pick<Deps, 'config' | 'templates'>): Router {
  return mailboxRoutes({
    store: createMailboxStore({ dir: outboxDir(deps.config.dataDir) }),
    render: createPageRenderer({ templates: deps.templates, sandbox: true }),
  });
}
