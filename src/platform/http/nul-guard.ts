import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/**
 * Refuses a URL holding a NUL character (`%00`) before any route sees it. No path or query value of
 * ours can contain one, and PostgreSQL refuses NUL in text, so letting it through turned a lookup of
 * `?q=%00` into a 500 instead of an answer.
 */
export const refuseNulInUrl: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.url) || req.url.includes('\u0000')) {
    return next(
      new AppError('bad_request', 'The URL contains a NUL character (%00), which no value may hold'),
    );
  }
  next();
};
