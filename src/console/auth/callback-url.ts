import type { Config } from '../../platform/config/index.ts';

/** The console's OAuth redirect URI: registered on the app beside the consultants' `/auth/callback`. */
export const CONSOLE_CALLBACK_PATH = '/console/auth/callback';

export function consoleCallbackUrl(config: Pick<Config, 'publicBaseUrl'>): string {
  return `${config.publicBaseUrl}${CONSOLE_CALLBACK_PATH}`;
}
