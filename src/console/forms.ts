import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../platform/errors.ts';

/** A roster CSV is at most 2 MB (as through the API); the rest of a multipart form is a few fields. */
const MAX_MULTIPART_BYTES = 2 * 1024 * 1024 + 64 * 1024;

export type FormFields = Record<string, string | string[]>;

/** Files of a multipart form, by field name (read by the routes that expect one). */
export function uploadedFile(req: Request, field: string): Uint8Array | undefined {
  const files = (req as Request & { files?: Map<string, Uint8Array> }).files;
  return files?.get(field);
}

/** One text field: the first value, or '' when absent. */
export function field(req: Request, name: string): string {
  const value = (req.body as FormFields | undefined)?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
}

/** Every value of a repeated field (checkboxes). */
export function fields(req: Request, name: string): string[] {
  const value = (req.body as FormFields | undefined)?.[name];
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
}

/**
 * Reads console form bodies: URL-encoded forms, and multipart ones (the CSV upload) through the web
 * platform's own FormData parser, so no upload library is needed. Text fields land in `req.body`,
 * files in `req.files`.
 */
export function consoleForms(): RequestHandler[] {
  const urlencoded = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 1_000 });
  const raw = express.raw({ type: 'multipart/form-data', limit: MAX_MULTIPART_BYTES });
  const multipart: RequestHandler = async (req, _res, next) => {
    if (!Buffer.isBuffer(req.body)) return next();
    const contentType = req.headers['content-type'] ?? '';
    let form: FormData;
    try {
      form = await new Response(req.body, { headers: { 'content-type': contentType } }).formData();
    } catch {
      return next(new AppError('bad_request', 'The form could not be read'));
    }
    const body: FormFields = {};
    const files = new Map<string, Uint8Array>();
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') {
        const existing = body[name];
        body[name] =
          existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
      } else if (value.size > 0) {
        files.set(name, new Uint8Array(await value.arrayBuffer()));
      }
    }
    req.body = body;
    (req as Request & { files?: Map<string, Uint8Array> }).files = files;
    next();
  };
  const tooLarge: RequestHandler = (req, res, next) =>
    raw(req, res, (error?: unknown) => {
      const large = (error as { type?: unknown } | undefined)?.type === 'entity.too.large';
      next(large ? new AppError('payload_too_large', 'The file is larger than 2 MB; split it') : error);
    });
  return [urlencoded, tooLarge, multipart];
}
