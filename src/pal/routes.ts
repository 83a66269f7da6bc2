import { Router } from 'express';
import { z } from 'zod';
import { validate } from '../platform/http/validate.ts';
import type { AssociationStore } from './associations.ts';

export const VERDICTS = [
  'account_revoked',
  'reauth_required',
  'check_failed',
  'pal_missing',
  'pal_mismatch',
  'no_access',
  'reader_only',
  'healthy',
] as const;

const listQuery = z.object({
  verdict: z.enum([...VERDICTS, 'unchecked']).optional(),
  consultantId: z.string().max(100).optional(),
});

/** `GET /api/associations`: every active PAL link with its latest verdict. */
export function associationRoutes(deps: { associations: AssociationStore }): Router {
  const router = Router();
  router.get('/associations', async (req, res) => {
    const query = validate(listQuery, req.query, 'query');
    const rows = await deps.associations.list({
      verdict: query.verdict === 'unchecked' ? undefined : query.verdict,
      consultantId: query.consultantId,
    });
    const filtered = query.verdict === 'unchecked' ? rows.filter((row) => row.verdict === null) : rows;
    res.json(
      filtered.map((row) => ({
        id: row.id,
        consultantId: row.consultant_id,
        email: row.email,
        kind: row.kind,
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        objectId: row.object_id,
        partnerId: row.partner_id,
        previousPartnerId: row.previous_partner_id,
        linkedAt: row.linked_at,
        lastCheckedAt: row.last_checked_at,
        verdict: row.verdict,
        verdictSince: row.verdict_since,
        stale: row.verdict_stale === 1,
        evidence: row.evidence ? JSON.parse(row.evidence) : null,
      })),
    );
  });
  return router;
}
