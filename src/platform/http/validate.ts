import type { z } from 'zod';
import { AppError } from '../errors.ts';

/**
 * Validates input at the edge. A failure becomes one 400 whose message names every problem
 * (`email: Invalid email address; locationId: …`) and whose details list them one by one.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || what,
    message: issue.message,
  }));
  throw new AppError('bad_request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
}
