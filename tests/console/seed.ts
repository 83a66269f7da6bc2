import { randomUUID } from 'node:crypto';
import type { Deps } from '../../src/deps.ts';

export const FABRIKAM = 'f1b2c3d4-0001-4a6e-9b1d-fab000000001';

/** A consultant on the roster, straight into the table (the console reads what any path wrote). */
export async function addConsultant(deps: Deps, email: string, displayName: string) {
  const id = randomUUID();
  await deps.db
    .insertInto('consultants')
    .values({
      id,
      email,
      display_name: displayName,
      location_id: '4471231',
      customer_tenants: '[]',
      status: 'active',
      created_at: '2026-11-01T09:00:00.000Z',
      updated_at: '2026-11-01T09:00:00.000Z',
      offboarded_at: null,
    })
    .execute();
  return id;
}

/** One PAL link with the verdict of a finished run, recorded as the health check records it. */
export async function addCheckedLink(
  deps: Deps,
  consultantId: string,
  runs: { at: string; verdict: string; evidence?: unknown }[],
) {
  const associationId = randomUUID();
  const last = runs.at(-1)!;
  const evidence = JSON.stringify(
    last.evidence ?? {
      partnerId: '4471231',
      expectedPartnerId: '4471231',
      subscriptions: 2,
      roles: [{ roleName: 'Reader', scope: '/subscriptions/5f0c8a2e', eligible: false, inferred: false }],
    },
  );
  await deps.db
    .insertInto('associations')
    .values({
      id: associationId,
      consultant_id: consultantId,
      kind: 'user',
      tenant_id: FABRIKAM,
      tenant_name: 'Fabrikam',
      object_id: randomUUID(),
      partner_id: '4471231',
      previous_partner_id: null,
      linked_at: '2026-11-02T10:00:00.000Z',
      status: 'active',
      verdict: last.verdict,
      verdict_since: last.at,
      last_checked_at: last.at,
      evidence,
    })
    .execute();
  for (const run of runs) {
    const existing = await deps.db
      .selectFrom('check_runs')
      .select('id')
      .where('created_at', '=', run.at)
      .executeTakeFirst();
    const runId = existing?.id ?? randomUUID();
    if (!existing) {
      await deps.db
        .insertInto('check_runs')
        .values({
          id: runId,
          trigger: 'schedule',
          state: 'completed',
          created_at: run.at,
          started_at: run.at,
          finished_at: run.at,
          counts: '{}',
          error: null,
        })
        .execute();
    }
    await deps.db
      .insertInto('verdicts')
      .values({
        id: randomUUID(),
        run_id: runId,
        association_id: associationId,
        verdict: run.verdict,
        previous_verdict: null,
        evidence,
        checked_at: run.at,
      })
      .execute();
  }
  return associationId;
}

/** Riley (reader only in Fabrikam over two runs), Dana (healthy), Noor (on the roster, never linked). */
export async function seedRoster(deps: Deps) {
  const riley = await addConsultant(deps, 'riley.reader@contoso.example', 'Riley Reader');
  const dana = await addConsultant(deps, 'dana.contributor@contoso.example', 'Dana Contributor');
  const noor = await addConsultant(deps, 'noor.noroles@contoso.example', 'Noor No-Roles');
  const rileyLink = await addCheckedLink(deps, riley, [
    { at: '2026-11-18T05:00:00.000Z', verdict: 'healthy' },
    { at: '2026-11-19T05:00:00.000Z', verdict: 'reader_only' },
  ]);
  await addCheckedLink(deps, dana, [
    { at: '2026-11-18T05:00:00.000Z', verdict: 'healthy', evidence: { roles: [] } },
    { at: '2026-11-19T05:00:00.000Z', verdict: 'healthy', evidence: { roles: [] } },
  ]);
  return { riley, dana, noor, rileyLink };
}
