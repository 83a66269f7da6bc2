import { type Request, type Response, Router } from 'express';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config/index.ts';
import { AppError } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import { rosterCsvExportHandler } from '../../roster/csv-routes.ts';
import type { RosterCsv } from '../../roster/csv-service.ts';
import { createConsultantSchema } from '../../roster/schemas.ts';
import type { RosterService } from '../../roster/service.ts';
import { consoleAuditContext } from '../auth/guard.ts';
import { field, uploadedFile } from '../forms.ts';
import type { ConsoleRenderer } from '../view.ts';
import { loadConsultantList, readFilter } from './list.ts';
import type { ConsultantSummaries } from './summaries.ts';

export interface ConsultantRouteDeps {
  roster: RosterService;
  rosterCsv: RosterCsv;
  summaries: ConsultantSummaries;
  config: Pick<Config, 'partner'>;
  clock: Clock;
  render: ConsoleRenderer;
}

const NOTICES: Record<string, string> = {
  added: 'Consultant added. Send them an invitation when you are ready.',
};

/** Customer tenants typed one per line or separated by commas/spaces. */
const tenantList = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** The roster: list with search and filters, add one, import a CSV (with the per-line report). */
export function consultantRoutes(deps: ConsultantRouteDeps): Router {
  const router = Router();

  const showList = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const list = await loadConsultantList(deps, readFilter(req));
    const notice = typeof req.query.notice === 'string' ? NOTICES[req.query.notice] : undefined;
    deps.render(
      res,
      'consultants',
      { title: 'Consultants', section: 'consultants', notice, form: {}, ...list, ...extra },
      status,
    );
  };

  router.get('/consultants', (req, res) => showList(req, res));
  // The same file as GET /api/consultants.csv.
  router.get('/consultants.csv', rosterCsvExportHandler({ rosterCsv: deps.rosterCsv, clock: deps.clock }));

  router.post('/consultants', async (req, res) => {
    const form = {
      email: field(req, 'email'),
      displayName: field(req, 'displayName'),
      locationId: field(req, 'locationId'),
      customerTenants: field(req, 'customerTenants'),
    };
    try {
      const input = validate(
        createConsultantSchema,
        {
          email: form.email,
          ...(form.displayName ? { displayName: form.displayName } : {}),
          ...(form.locationId ? { locationId: form.locationId } : {}),
          customerTenants: tenantList(form.customerTenants),
        },
        'form',
      );
      const created = await deps.roster.create(input, consoleAuditContext(req, res));
      res.redirect(303, `/console/consultants/${created.id}?notice=added`);
    } catch (error) {
      // A mistake in the form is shown beside the form, with what was typed kept.
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await showList(req, res, { form, formError: error.message }, error.status);
    }
  });

  router.post('/consultants/import', async (req, res) => {
    const file = uploadedFile(req, 'file');
    const pasted = field(req, 'csv');
    const body = file ?? new TextEncoder().encode(pasted);
    if (body.byteLength === 0) {
      return deps.render(
        res,
        'import-report',
        { title: 'Import', section: 'consultants', problem: 'Choose a CSV file or paste the rows.' },
        400,
      );
    }
    try {
      const report = await deps.rosterCsv.importCsv(body, consoleAuditContext(req, res));
      deps.render(res, 'import-report', { title: 'Import report', section: 'consultants', report });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      deps.render(
        res,
        'import-report',
        { title: 'Import', section: 'consultants', problem: error.message },
        error.status,
      );
    }
  });

  return router;
}
