import { parseCookie } from 'cookie';
import type { CookieOptions, Request } from 'express';
import type { Config } from '../../platform/config/index.ts';
import { SIGN_IN_TTL_MS } from './attempts.ts';

/**
 * The console's two cookies. The session cookie is `__Host-` over HTTPS: the browser then insists on
 * Secure, Path=/ and no Domain, so no sibling host or plain-HTTP page can plant or read it. Browsers
 * refuse `__Host-` without HTTPS, hence the plain name for http://localhost.
 */
export function consoleCookies(config: Pick<Config, 'publicBaseUrl'>) {
  const https = config.publicBaseUrl.startsWith('https://');
  const session = {
    name: https ? '__Host-pal_console' : 'pal_console',
    // No Max-Age: a browser-session cookie; the server enforces the idle and absolute limits.
    options: { httpOnly: true, secure: https, sameSite: 'lax', path: '/' } satisfies CookieOptions,
  };
  const signIn = {
    name: 'pal_console_signin',
    // Only the callback needs it; Lax lets it ride along on Microsoft's top-level redirect back.
    options: {
      httpOnly: true,
      secure: https,
      sameSite: 'lax',
      path: '/console/auth',
      maxAge: SIGN_IN_TTL_MS,
    } satisfies CookieOptions,
  };
  const read = (req: Request, name: string) => parseCookie(req.headers.cookie ?? '')[name];
  return {
    session,
    signIn,
    sessionId: (req: Request) => read(req, session.name),
    signInSecret: (req: Request) => read(req, signIn.name),
  };
}

export type ConsoleCookies = ReturnType<typeof consoleCookies>;
