import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { validate } from './validate.ts';

describe('validate', () => {
  const schema = z.object({ email: z.email(), count: z.number().int() });

  it('returns the parsed value when the input is valid', () => {
    expect(validate(schema, { email: 'a@b.co', count: 2 })).toEqual({ email: 'a@b.co', count: 2 });
  });

  it('throws one 400 naming every problem by field', () => {
    try {
      validate(schema, { email: 'nope', count: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect(appError.status).toBe(400);
      expect(appError.message).toMatch(/^email: .+; count: .+$/);
      expect((appError.details as { problems: unknown[] }).problems).toHaveLength(2);
    }
  });
});
