import type { Response } from 'express';
import type { Templates } from '../templates.ts';

/**
 * Renders a server-side page with the shared layout. Pages are never cached (they may reflect a
 * token's state) and carry the SANDBOX label when the simulated Microsoft is in use.
 */
export function createPageRenderer(deps: { templates: Templates; sandbox: boolean }) {
  return (res: Response, template: string, data: Record<string, unknown>, status = 200) => {
    const html = deps.templates.render(template, {
      sandbox: deps.sandbox,
      requestId: String(res.req.id ?? ''),
      ...data,
    });
    res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
  };
}

export type PageRenderer = ReturnType<typeof createPageRenderer>;
