import { z } from 'zod';
import { toSingleLine } from '../../platform/text.ts';

export const createTokenSchema = z.strictObject({
  name: z
    .string()
    .max(1000)
    .transform(toSingleLine)
    .pipe(z.string().min(1, 'give the token a name (what uses it)').max(100, 'at most 100 characters'))
    .meta({ description: 'What the token is for, e.g. "ci-import"', examples: ['ci-import'] }),
});
