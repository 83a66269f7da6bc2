import type { Request } from 'express';
import { z } from 'zod';
import { VERDICTS } from '../../pal/verdicts.ts';
import type { Config } from '../../platform/config/index.ts';
import type { RosterService } from '../../roster/service.ts';
import type { ConsultantSummaries } from './summaries.ts';

export const PAGE_SIZE = 50;

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** The list's filters, from the query string; anything malformed is simply not applied. */
const filterSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()).catch(undefined),
  verdict: z.preprocess(blankToUndefined, z.enum([...VERDICTS, 'unchecked']).optional()).catch(undefined),
  location: z.preprocess(blankToUndefined, z.string().max(20).optional()).catch(undefined),
  link: z.preprocess(blankToUndefined, z.enum(['linked', 'unlinked']).optional()).catch(undefined),
  status: z.enum(['active', 'offboarded', 'all']).catch('active').default('active'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export type ConsultantListFilter = z.infer<typeof filterSchema>;

export function readFilter(req: Request): ConsultantListFilter {
  return filterSchema.parse(req.query);
}

/** Everything the consultants page shows for a filter: one page of people with their links and last invitation. */
export async function loadConsultantList(
  deps: {
    roster: Pick<RosterService, 'list'>;
    summaries: ConsultantSummaries;
    config: Pick<Config, 'partner'>;
  },
  filter: ConsultantListFilter,
) {
  const { consultants, total } = await deps.roster.list({
    status: filter.status,
    q: filter.q,
    locationId: filter.location,
    verdict: filter.verdict,
    link: filter.link,
    limit: PAGE_SIZE,
    offset: (filter.page - 1) * PAGE_SIZE,
  });
  const ids = consultants.map((c) => c.id);
  const [links, invitations] = await Promise.all([
    deps.summaries.linksOf(ids),
    deps.summaries.latestInvitationOf(ids),
  ]);
  const query = (page: number) => {
    const params = new URLSearchParams();
    for (const key of ['q', 'verdict', 'location', 'link'] as const)
      if (filter[key]) params.set(key, filter[key]);
    if (filter.status !== 'active') params.set('status', filter.status);
    if (page > 1) params.set('page', String(page));
    const text = params.toString();
    return `/console/consultants${text ? `?${text}` : ''}`;
  };
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return {
    filter,
    total,
    locations: deps.config.partner.locations,
    verdicts: [...VERDICTS, 'unchecked'],
    rows: consultants.map((consultant) => ({
      ...consultant,
      links: links.get(consultant.id) ?? [],
      invitation: invitations.get(consultant.id),
    })),
    previousHref: filter.page > 1 ? query(filter.page - 1) : undefined,
    nextHref: filter.page < pages ? query(filter.page + 1) : undefined,
    page: filter.page,
    pages,
  };
}
