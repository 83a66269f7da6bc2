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
 * The one place errors become HTTP responses. Known errors keep their message; anything else is
 * logged in full and answered with a bare 500, so internals never leak to a caller.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = err instanceof AppError ? err : fromParserError(err);
  const requestId = String(req.id ?? '');
  if (res.headersSent) {
    req.log?.error({ err }, 'error after the response started');
    res.end();
    return;
  }
  if (known) {
    if (known.status >= 500) req.log?.warn({ err }, known.message);
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
