import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type RequestHandler, Router } from 'express';
import { auditContext } from '../admin/auth.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { validate } from '../platform/http/validate.ts';
import { exportFileName } from './csv-export.ts';
import type { RosterCsv } from './csv-service.ts';
import { exportConsultantsSchema } from './schemas.ts';

/** What people send a CSV as: the registered type, the one some tools use, and plain text (curl --data-binary). */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];
const MAX_CSV_BYTES = 2 * 1024 * 1024;

const charsetOf = (contentType: string | undefined) =>
  /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();

/**
 * The CSV body as bytes (decoded by the import itself, which can then say precisely what is wrong
 * with the encoding). It is mounted before the API's JSON parser, which refuses anything but JSON.
 */
function csvBody(): RequestHandler[] {
  const onlyCsv: RequestHandler = (req, _res, next) => {
    // No body at all is an empty CSV, which the import answers with what to send instead.
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (hasBody && !req.is(CSV_TYPES)) {
      return next(
        new AppError(
          'unsupported_media_type',
          'Send the roster as CSV with Content-Type: text/csv (application/csv and text/plain are accepted too)',
        ),
      );
    }
    const charset = charsetOf(req.headers['content-type']);
    if (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      return next(
        new AppError('unsupported_media_type', `The CSV must be UTF-8; this one is declared ${charset}`),
      );
    }
    next();
  };
  const raw = express.raw({ type: CSV_TYPES, limit: MAX_CSV_BYTES });
  const read: RequestHandler = (req, res, next) =>
    raw(req, res, (error?: unknown) => {
      const tooLarge = (error as { type?: unknown } | undefined)?.type === 'entity.too.large';
      next(tooLarge ? new AppError('payload_too_large', 'The CSV is larger than 2 MB; split it') : error);
    });
  return [onlyCsv, read];
}

/** The roster as a CSV download (filters as in the list); the console's export link serves the same file. */
export function rosterCsvExportHandler(deps: { rosterCsv: RosterCsv; clock: Clock }): RequestHandler {
  return async (req, res) => {
    const filter = validate(exportConsultantsSchema, req.query, 'query');
    res.type('text/csv; charset=utf-8');
    // Quoted always (res.attachment quotes only when it must): some clients expect the quotes.
    res.set('content-disposition', `attachment; filename="${exportFileName(deps.clock.now())}"`);
    // Names and emails of people: no shared cache may keep a copy.
    res.set('cache-control', 'no-store');
    // pipeline: backpressure from a slow client, and the database reads stop if it goes away.
    await pipeline(Readable.from(deps.rosterCsv.exportCsv(filter)), res);
  };
}

/** `/api/consultants/import` and `/api/consultants.csv`: the roster in and out as CSV. */
export function rosterCsvRoutes(deps: { rosterCsv: RosterCsv; clock: Clock }): Router {
  const router = Router();

  router.post('/consultants/import', ...csvBody(), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.json(await deps.rosterCsv.importCsv(body, auditContext(req, res)));
  });

  router.get('/consultants.csv', rosterCsvExportHandler(deps));

  return router;
}
