import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));
export const PUBLIC_DIR = fileURLToPath(new URL('../../public', import.meta.url));

export interface Templates {
  /** Renders `templates/<name>.eta`; every `<%= %>` is HTML-escaped. */
  render(name: string, data: Record<string, unknown>): string;
}

/** Page and mail templates are files, rendered by Eta with escaping on by default. */
export function createTemplates(options: { cache?: boolean } = {}): Templates {
  const eta = new Eta({
    views: TEMPLATES_DIR,
    cache: options.cache ?? true,
    autoEscape: true,
    autoTrim: false,
  });
  return { render: (name, data) => eta.render(name, data) };
}
