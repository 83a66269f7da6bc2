import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

/** Errors thrown by Express's own body parsers carry a `type` and a client-error `status`. */
function fromParserError(err: unknown): AppError | undefined {
  // The router could not percent-decode a path parameter (`/api/consultants/%E0%A4%A`): the URL is
  // the caller's mistake, though the error carries no `type`.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    return new AppError('bad_request', 'The URL has a %-escape that does not decode to text');
  }
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  const type = String((err as { type: unknown }).type);
  if (type === 'entity.parse.failed')
    return new AppError('bad_request', 'The request body is not valid JSON');
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'The request body encoding is not supported');
  }
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', 'The request could not be read');
  }
  return undefined;
}

/**
 * The database could not serve the request just now, through no fault of the request: SQLite's file
 * stayed locked by another writer past `busy_timeout`, or PostgreSQL is restarting / unreachable. The
 * caller may simply try again, so this is a 503 with Retry-After rather than a 500 that reads as a bug.
 */
const SQLITE_CONTENTION = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']);
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const NETWORK_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function fromDatabaseError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : '';
  if (
    (typeof code === 'string' &&
      (SQLITE_CONTENTION.has(code) || POSTGRES_UNAVAILABLE.has(code) || NETWORK_DOWN.has(code))) ||
    /^Connection terminated|timeout exceeded when trying to connect/.test(message)
  ) {
    return new AppError('unavailable', 'The database is busy or restarting; try again in a few seconds');
  }
  return undefined;
}

/**
 * The one place errors become HTTP responses. Known errors keep their message; anything else is
 * logged in full and answered with a bare 500, so internals never leak to a caller.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const database = err instanceof AppError ? undefined : fromDatabaseError(err);
  const known = err instanceof AppError ? err : (fromParserError(err) ?? database);
  const requestId = String(req.id ?? '');
  if (res.headersSent) {
    req.log?.error({ err }, 'error after the response started');
    res.end();
    return;
  }
  if (known) {
    if (known.status >= 500) req.log?.warn({ err }, known.message);
    if (database) res.set('Retry-After', '5');
    const body: ErrorBody = { error: { code: known.code, message: known.message, requestId } };
    if (known.details !== undefined) body.error.details = known.details;
    res.status(known.status).json(body);
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({
    error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.', requestId },
  } satisfies ErrorBody);
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
};
