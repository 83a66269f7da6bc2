import { z } from 'zod';
import { SECRET_ENV_PREFIX } from './model.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = (what: string) =>
  z
    .string()
    .trim()
    .regex(GUID, `${what} is a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`)
    .transform((s) => s.toLowerCase());

export const credentialSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('secret'),
      secret: z.string().min(1, 'the secret is empty').max(1024, 'at most 1024 characters'),
    })
    .strict()
    .describe('A client secret: stored encrypted, never shown again'),
  z
    .object({
      type: z.literal('secret_env'),
      variable: z
        .string()
        .regex(
          new RegExp(`^${SECRET_ENV_PREFIX}[A-Z0-9_]+$`),
          `an environment variable named ${SECRET_ENV_PREFIX}…, in capitals`,
        ),
    })
    .strict()
    .describe('A client secret the service reads from its own environment at each use'),
  z
    .object({
      type: z.literal('certificate'),
      path: z.string().trim().min(1, 'the path is empty').max(1024, 'at most 1024 characters'),
    })
    .strict()
    .describe('A PEM file on the server holding the private key and the certificate'),
  z
    .object({ type: z.literal('managed_identity') })
    .strict()
    .describe("The service's own managed identity or DefaultAzureCredential (partner tenant only)"),
]);

export const registerSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    tenantId: guid('tenantId'),
    clientId: guid('clientId'),
    credential: credentialSchema,
    locationId: z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, 'a location ID is digits')
      .optional(),
    /** The identity is linked to another partner's ID: replace it (only its owner may decide). */
    replaceOtherPartner: z.boolean().optional(),
  })
  .strict();

export const credentialBodySchema = z
  .object({ credential: credentialSchema, replaceOtherPartner: z.boolean().optional() })
  .strict();

export const linkBodySchema = z.object({ replaceOtherPartner: z.boolean().optional() }).strict();

export type RegisterInput = z.infer<typeof registerSchema>;
