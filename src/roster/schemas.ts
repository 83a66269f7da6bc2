import { z } from 'zod';
import { toSingleLine } from '../platform/text.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CONSULTANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'at most 254 characters')
  .pipe(z.email({ error: (issue) => `${JSON.stringify(issue.input)} is not an email address` }))
  .meta({ format: 'email', description: 'Stored trimmed and lower-case; unique across the roster' });

/** Names reach mail headers and pages: control characters and line breaks are removed, not rejected. */
const displayName = z
  .string()
  .max(2000, 'at most 200 characters')
  .transform(toSingleLine)
  .pipe(z.string().max(200, 'at most 200 characters'))
  .meta({
    description: 'Defaults to the part of the email before @; line breaks and control characters are removed',
  });

// People write IDs as numbers in JSON; both forms mean the same ID.
const locationId = z
  .union([z.string().max(20), z.number().int().nonnegative()])
  .transform(String)
  .meta({ description: 'A Partner Location ID (PLA) of the partner; defaults to the default location' });

const customerTenants = z
  .array(
    z
      .string()
      .trim()
      .regex(GUID, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a tenant ID: give the directory's GUID (Entra admin center → Overview → Tenant ID); domain names are not accepted`,
      }),
  )
  .max(200, 'at most 200 tenants')
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
  .meta({
    description: 'Tenant IDs (GUIDs) of the customers the consultant works in; de-duplicated, lower-case',
  });

export const createConsultantSchema = z.strictObject({
  email,
  displayName: displayName.optional(),
  locationId: locationId.optional(),
  customerTenants: customerTenants.optional(),
});

export const updateConsultantSchema = z
  .strictObject({
    email: email.optional(),
    displayName: displayName.optional(),
    locationId: locationId.optional(),
    customerTenants: customerTenants.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    error: 'give at least one of email, displayName, locationId, customerTenants',
  });

export const listConsultantsSchema = z.strictObject({
  status: z.enum(['active', 'offboarded', 'all']).default('active'),
  locationId: z.string().max(20).optional().meta({ description: 'Only consultants of this location' }),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: 'Part of the email or name (case-insensitive)' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The export takes the list's filters; it has no pages (it is the whole filtered roster). */
export const exportConsultantsSchema = listConsultantsSchema.omit({ limit: true, offset: true });

export type CreateConsultantInput = z.infer<typeof createConsultantSchema>;
export type UpdateConsultantInput = z.infer<typeof updateConsultantSchema>;
export type ListConsultantsQuery = z.infer<typeof listConsultantsSchema>;
export type ExportConsultantsQuery = z.infer<typeof exportConsultantsSchema>;
