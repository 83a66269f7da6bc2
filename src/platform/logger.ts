import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. Tokens and secrets must never reach a log line:
 * headers that carry them, and any field whose name says it holds one.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.clientSecret',
  '*.code',
  '*.code_verifier',
  '*.refresh_token',
  '*.client_secret',
  '*.authorization',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'pal-manager' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

const SECRET_QUERY_PARAMS =
  /([?&](?:code|state|token|client_secret|refresh_token|id_token|access_token|session_state)=)[^&#]*/gi;

/**
 * A URL safe to log: the invitation token in `/i/{token}` and OAuth parameters in the query string
 * are replaced, since anyone reading logs could otherwise replay them.
 */
export function redactUrl(url: string): string {
  // Express matches routes without regard to case (and tolerates repeated slashes), so `/I/{token}`
  // reaches the invitation page too and must be redacted the same way.
  return url.replace(/^\/+i\/[^/?#]+/i, '/i/[redacted]').replace(SECRET_QUERY_PARAMS, '$1[redacted]');
}
