import { describe, expect, it } from 'vitest';
import { FABRIKAM, NORTHWIND, setup } from './support.ts';

const DAY_MS = 86_400_000;

describe('re-inviting consultants after a health check run', () => {
  it('issues a new invitation for a missing link and mails it with the reason', async () => {
    const t = await setup();
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(t.report([{ consultant: dana, from: 'healthy', to: 'pal_missing' }]));

    const invitations = await t.deps.db
      .selectFrom('invitations')
      .selectAll()
      .where('consultant_id', '=', dana.id)
      .execute();
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ state: 'open', tenant_id: FABRIKAM });
    const [row] = await t.outbox('reinvite');
    expect(row).toMatchObject({
      to_address: 'dana@contoso.example',
      invitation_id: invitations[0]!.id,
      subject: 'your Partner Admin Link in Fabrikam is missing',
    });
    const batch = await t.deps.db
      .selectFrom('batches')
      .selectAll()
      .where('id', '=', row!.batch_id!)
      .executeTakeFirst();
    expect(batch).toMatchObject({ kind: 'reinvite', total: 1, created_by: 'health-check' });

    await t.sender.drain();
    const [mail] = t.mail.deliveredTo('dana@contoso.example');
    expect(mail!.subject).toBe(
      'Action needed: re-link your Azure work to Contoso (your Partner Admin Link in Fabrikam is missing)',
    );
    expect(mail!.text).toContain('Why: your Partner Admin Link in Fabrikam is missing');
    expect(mail!.text).toMatch(/https:\/\/pal\.contoso\.example\/i\/[\w-]{43}/);

    const [event] = await t.auditEvents('health.reinvited');
    expect(event).toMatchObject({ actor: 'health-check', subject_type: 'consultant', subject_id: dana.id });
    expect(JSON.parse(event!.detail!)).toMatchObject({
      runId: 'run-1',
      invitationId: invitations[0]!.id,
      verdicts: [{ tenantId: FABRIKAM, from: 'healthy', to: 'pal_missing' }],
    });
  });

  it('re-invites a consultant at most once per REINVITE_MIN_DAYS, and again once they have passed', async () => {
    const t = await setup({ REINVITE_MIN_DAYS: '7' });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(t.report([{ consultant: dana, to: 'pal_missing' }]));

    t.clock.advance(3 * DAY_MS);
    await t.notify(t.report([{ consultant: dana, from: 'pal_missing', to: 'pal_mismatch' }]));
    expect(await t.outbox('reinvite')).toHaveLength(1);
    expect(await t.auditEvents('health.reinvited')).toHaveLength(1);
    await t.sender.drain();
    const digest = t.mail.deliveredTo('alex@contoso.example').at(-1)!;
    expect(digest.text).toContain(
      'No new link: one was already emailed on Friday 20 November 2026 (one every 7 days at most).',
    );

    t.clock.advance(5 * DAY_MS);
    await t.notify(t.report([{ consultant: dana, from: 'pal_mismatch', to: 'pal_missing' }]));
    expect(await t.outbox('reinvite')).toHaveLength(2);
  });

  it('re-invites nobody with AUTO_REINVITE=false, and the digest says re-invitations are off', async () => {
    const t = await setup({ AUTO_REINVITE: 'false' });
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(t.report([{ consultant: dana, to: 'pal_missing' }]));

    expect(await t.deps.db.selectFrom('invitations').selectAll().execute()).toHaveLength(0);
    expect(await t.outbox('reinvite')).toHaveLength(0);
    await t.sender.drain();
    const [digest] = t.mail.deliveredTo('alex@contoso.example');
    expect(digest!.text).toContain('Automatic re-invitations are off (AUTO_REINVITE=false)');
  });

  it('re-invites nobody for transitions that a new link does not repair', async () => {
    const t = await setup();
    const people = await Promise.all(
      ['healthy', 'reader_only', 'no_access', 'account_revoked', 'check_failed'].map((verdict) =>
        t.addConsultant(`${verdict}@contoso.example`, verdict),
      ),
    );
    await t.notify(
      t.report(people.map((consultant) => ({ consultant, from: 'pal_missing', to: consultant.displayName }))),
    );
    expect(await t.deps.db.selectFrom('invitations').selectAll().execute()).toHaveLength(0);
    expect(await t.outbox('reinvite')).toHaveLength(0);
  });

  it('does not re-invite an offboarded consultant', async () => {
    const t = await setup();
    const gone = await t.addConsultant('gone@contoso.example', 'Gone Girl', 'offboarded');
    await t.notify(t.report([{ consultant: gone, to: 'reauth_required' }]));
    expect(await t.outbox('reinvite')).toHaveLength(0);
    await t.sender.drain();
    expect(t.mail.deliveredTo('alex@contoso.example')[0]!.text).toContain(
      'Not re-invited: the consultant is offboarded.',
    );
  });

  it('sends one unscoped link to a consultant who needs it in two tenants, naming both', async () => {
    const t = await setup();
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(
      t.report([
        { consultant: dana, to: 'reauth_required' },
        { consultant: dana, to: 'pal_missing', tenantId: NORTHWIND, tenantName: 'Northwind' },
      ]),
    );
    const invitations = await t.deps.db.selectFrom('invitations').selectAll().execute();
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.tenant_id).toBeNull();
    const [row] = await t.outbox('reinvite');
    expect(row!.subject).toBe(
      'Fabrikam needs you to sign in again; your Partner Admin Link in Northwind is missing',
    );
  });
});
