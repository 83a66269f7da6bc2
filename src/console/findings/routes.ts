import { Router } from 'express';
import { z } from 'zod';
import type { AssociationStore } from '../../pal/associations.ts';
import { associationsCsvHandler } from '../../pal/routes.ts';
import { VERDICTS } from '../../pal/verdicts.ts';
import type { Clock } from '../../platform/clock.ts';
import { validate } from '../../platform/http/validate.ts';
import { toSingleLine } from '../../platform/text.ts';
import { consoleAuditContext, safeReturnTo } from '../auth/guard.ts';
import type { Coverage } from '../dashboard/coverage.ts';
import { field } from '../forms.ts';
import type { ConsoleRenderer } from '../view.ts';
import type { Acknowledgements } from './acknowledgements.ts';
import { summariseEvidence } from './evidence.ts';

export interface FindingRouteDeps {
  associations: AssociationStore;
  acknowledgements: Acknowledgements;
  coverage: Pick<Coverage, 'summary'>;
  clock: Clock;
  render: ConsoleRenderer;
}

/** `attention` (the default) is every verdict that is a finding: all but healthy and not-yet-checked. */
const filterSchema = z.object({
  verdict: z
    .enum(['attention', 'all', ...VERDICTS])
    .catch('attention')
    .default('attention'),
});

const ackSchema = z.object({
  verdict: z.enum(VERDICTS),
  note: z
    .string()
    .max(2000)
    .transform(toSingleLine)
    .pipe(z.string().max(500, 'keep the note under 500 characters')),
});

/** Findings: associations by verdict with their evidence, the CSV export, and acknowledgements. */
export function findingRoutes(deps: FindingRouteDeps): Router {
  const router = Router();

  router.get('/findings', async (req, res) => {
    const { verdict } = filterSchema.parse(req.query);
    const specific = verdict !== 'attention' && verdict !== 'all' ? verdict : undefined;
    const listed = await deps.associations.list({ verdict: specific });
    const rows =
      verdict === 'attention' ? listed.filter((r) => r.verdict && r.verdict !== 'healthy') : listed;
    const acks = await deps.acknowledgements.current(rows);
    const summary = await deps.coverage.summary();
    deps.render(res, 'findings', {
      title: 'Findings',
      section: 'findings',
      filter: verdict,
      tabs: summary.byVerdict.filter((entry) => entry.verdict !== 'unchecked'),
      attention: summary.byVerdict
        .filter((entry) => entry.verdict !== 'healthy' && entry.verdict !== 'unchecked')
        .reduce((sum, entry) => sum + entry.count, 0),
      exportHref: `/console/findings.csv${specific ? `?verdict=${specific}` : ''}`,
      notice:
        req.query.notice === 'acknowledged'
          ? 'Acknowledged. It stays so until the verdict changes.'
          : undefined,
      rows: rows.map((row) => ({
        id: row.id,
        // Where the name links to: the consultant's page, or the automation identities' page.
        href: row.consultant_id ? `/console/consultants/${row.consultant_id}` : '/console/automation',
        email: row.email,
        displayName: row.display_name,
        tenant: row.tenant_name ?? row.tenant_id,
        tenantId: row.tenant_id,
        verdict: row.verdict,
        since: row.verdict_since,
        stale: row.verdict_stale === 1,
        lastCheckedAt: row.last_checked_at,
        evidence: summariseEvidence(row.evidence),
        ack: acks.get(row.id),
      })),
    });
  });

  // The same spreadsheet as GET /api/associations.csv, behind the console's sign-in instead of a token.
  router.get('/findings.csv', associationsCsvHandler(deps));

  router.post('/findings/:id/acknowledge', async (req, res) => {
    const input = validate(ackSchema, { verdict: field(req, 'verdict'), note: field(req, 'note') }, 'form');
    await deps.acknowledgements.acknowledge(String(req.params.id), input, consoleAuditContext(req, res));
    const back = safeReturnTo(field(req, 'back') || '/console/findings');
    res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}notice=acknowledged`);
  });

  return router;
}
