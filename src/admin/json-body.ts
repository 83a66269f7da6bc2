import express, { type RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';

const JSON_TYPES = ['application/json', 'application/*+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Whether the request carries a body at all (a POST with none is left to the route's validation). */
function hasBody(headers: {
  'content-length'?: string | undefined;
  'transfer-encoding'?: string | undefined;
}) {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

/**
 * JSON request bodies for the admin API. A body of another type is refused with 415 instead of being
 * silently ignored (which would surface as a confusing "email: required"). A route that takes
 * another type (the CSV import) is mounted before this, with its own parser.
 */
export function jsonBodies(limit = '256kb'): RequestHandler[] {
  const onlyJson: RequestHandler = (req, _res, next) => {
    if (BODY_METHODS.has(req.method) && hasBody(req.headers) && !req.is(JSON_TYPES)) {
      return next(new AppError('unsupported_media_type', 'Send Content-Type: application/json'));
    }
    next();
  };
  return [onlyJson, express.json({ limit, type: JSON_TYPES })];
}
