import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import { validate } from '../platform/http/validate.ts';
import type { AssociationStore } from './associations.ts';
import { associationsCsv, associationsFileName } from './csv.ts';
import { VERDICTS } from './verdicts.ts';

export { VERDICTS };

export const listAssociationsQuery = z.object({
  verdict: z.enum([...VERDICTS, 'unchecked']).optional(),
  consultantId: z.string().max(100).optional(),
});

interface AssociationRouteDeps {
  associations: AssociationStore;
  clock: Clock;
}

/** The active associations a query asks for (`verdict`, `consultantId`; `unchecked`: never checked). */
function listAssociations(deps: AssociationRouteDeps) {
  return async (input: unknown) => {
    const query = validate(listAssociationsQuery, input, 'query');
    const rows = await deps.associations.list({
      verdict: query.verdict === 'unchecked' ? undefined : query.verdict,
      consultantId: query.consultantId,
    });
    return query.verdict === 'unchecked' ? rows.filter((row) => row.verdict === null) : rows;
  };
}

/** The findings spreadsheet; the console's export link serves the very same file. */
export function associationsCsvHandler(deps: AssociationRouteDeps): RequestHandler {
  const listed = listAssociations(deps);
  return async (req, res) => {
    const rows = await listed(req.query);
    res.type('text/csv; charset=utf-8');
    res.set('content-disposition', `attachment; filename="${associationsFileName(deps.clock.now())}"`);
    // Names and emails of people: no shared cache may keep a copy.
    res.set('cache-control', 'no-store');
    res.send(associationsCsv(rows));
  };
}

/**
 * `GET /api/associations`: every active PAL link with its latest verdict; `GET /api/associations.csv`:
 * the same list, same filters, for a spreadsheet.
 */
export function associationRoutes(deps: AssociationRouteDeps): Router {
  const router = Router();
  const listed = listAssociations(deps);

  router.get('/associations.csv', associationsCsvHandler(deps));

  router.get('/associations', async (req, res) => {
    const rows = await listed(req.query);
    res.json(
      rows.map((row) => ({
        id: row.id,
        consultantId: row.consultant_id,
        automationIdentityId: row.automation_identity_id,
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
