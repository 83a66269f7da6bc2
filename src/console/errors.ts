import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';
import type { ConsoleRenderer } from './view.ts';

const HEADINGS: Record<number, string> = {
  400: 'That did not work',
  404: 'Not found',
  409: 'Not possible right now',
  413: 'Too large',
  415: 'Not a form we can read',
};

/** Console pages answer errors with a page, never the API's JSON; 5xx detail goes to the log only. */
export function consoleErrorPages(render: ConsoleRenderer): [RequestHandler, ErrorRequestHandler] {
  const notFound: RequestHandler = (_req, res) =>
    render(
      res,
      'problem',
      { title: 'Not found', heading: 'Not found', message: 'There is no such page in the console.' },
      404,
    );

  const failed: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known =
      err instanceof AppError
        ? err
        : (err as { type?: unknown })?.type === 'entity.too.large'
          ? new AppError('payload_too_large', 'The form is too large')
          : undefined;
    if (known && known.status < 500) {
      return render(
        res,
        'problem',
        {
          title: HEADINGS[known.status] ?? 'Refused',
          heading: HEADINGS[known.status] ?? 'Refused',
          message: known.message,
        },
        known.status,
      );
    }
    req.log?.error({ err }, 'console page failed');
    render(
      res,
      'problem',
      {
        title: 'Something went wrong',
        heading: 'Something went wrong',
        message: 'It has been logged. Try again, or give this request ID to whoever runs PAL Manager.',
      },
      known?.status ?? 500,
    );
  };
  return [notFound, failed];
}
