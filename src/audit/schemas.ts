import { z } from 'zod';
import { parseCursor } from './cursor.ts';

export const auditQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .meta({ description: 'Events per page (1–500)' }),
  before: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const cursor = parseCursor(raw);
      if (!cursor) {
        ctx.addIssue({
          code: 'custom',
          message: 'give an ISO time (2026-11-20T09:00:00Z) or the `next` cursor of a previous page',
        });
        return z.NEVER;
      }
      return cursor;
    })
    .meta({ description: 'Only events before this: an ISO time, or the `next` cursor of the previous page' }),
  action: z
    .string()
    .max(100)
    .optional()
    .meta({ description: 'Only this action, e.g. consultant.offboarded' }),
  subjectId: z
    .string()
    .max(100)
    .optional()
    .meta({ description: 'Only events about this subject (e.g. a consultant ID)' }),
});
