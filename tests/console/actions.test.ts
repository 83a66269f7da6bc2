import { describe, expect, it } from 'vitest';
import { seedRoster } from './seed.ts';
import { consolePerTest, csrfFrom, ORIGIN, signedIn, submit } from './support.ts';

const setup = consolePerTest();

async function admin() {
  const built = await setup();
  return { ...built, browser: await signedIn(built.agent()) };
}

const actor = 'console:alex.admin@contoso.example';

async function audit(deps: Awaited<ReturnType<typeof setup>>['deps'], action: string) {
  return deps.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();
}

describe('roster actions from the console', () => {
  it('imports an uploaded CSV and reports every line: added, updated, refused', async () => {
    const { browser, deps } = await admin();
    await submit(browser, '/console/consultants', { email: 'dana.contributor@contoso.example' });
    const csv = [
      'email,displayName,locationId',
      'dana.contributor@contoso.example,Dana Contributor,4471231',
      'riley.reader@contoso.example,Riley Reader,4471232',
      'not-an-email,Nobody,4471231',
      'sam@contoso.example,Sam,4471230',
    ].join('\n');
    const report = await browser
      .post('/console/consultants/import')
      .set('origin', ORIGIN)
      .field('_csrf', await csrfFrom(browser))
      .attach('file', Buffer.from(csv), { filename: 'roster.csv', contentType: 'text/csv' });
    expect(report.status).toBe(200);
    expect(report.text).toMatch(
      /<strong>1<\/strong> added, <strong>1<\/strong> updated, <strong>0<\/strong> unchanged, <strong>2<\/strong> lines refused/,
    );
    expect(report.text).toMatch(/<td>4<\/td><td>.*not-an-email/);
    expect(report.text).toMatch(/<td>5<\/td><td>.*4471230/);
    const riley = await deps.db
      .selectFrom('consultants')
      .selectAll()
      .where('email', '=', 'riley.reader@contoso.example')
      .executeTakeFirst();
    expect(riley?.location_id).toBe('4471232');
    expect((await audit(deps, 'consultant.imported'))[0]?.actor).toBe(actor);
  });

  it('imports pasted rows too, and explains a file it cannot read', async () => {
    const { browser } = await admin();
    const pasted = await submit(browser, '/console/consultants/import', {
      csv: 'email\nnoor@contoso.example\n',
    });
    expect(pasted.text).toMatch(/<strong>1<\/strong> added/);
    const empty = await submit(browser, '/console/consultants/import', { csv: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Choose a CSV file or paste the rows');
    const wrong = await submit(browser, '/console/consultants/import', {
      csv: 'displayName,locationId\nNobody,4471231\n',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Nothing was imported: The header (line 1) has no email column');
  });

  it('adds one consultant, and keeps the form with the reason when the input is wrong', async () => {
    const { browser, deps } = await admin();
    const added = await submit(browser, '/console/consultants', {
      email: 'Pat@Contoso.example',
      displayName: 'Pat',
      locationId: '4471232',
    });
    expect(added.status).toBe(303);
    const page = await browser.get(added.headers.location as string);
    expect(page.text).toContain('Consultant added');
    expect(page.text).toContain('pat@contoso.example');
    const duplicate = await submit(browser, '/console/consultants', { email: 'pat@contoso.example' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).toContain('already exists');
    const bad = await submit(browser, '/console/consultants', {
      email: 'nope',
      customerTenants: 'fabrikam.com',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="nope"');
    expect(bad.text).toContain('is not an email address');
    expect(await deps.db.selectFrom('consultants').selectAll().execute()).toHaveLength(1);
  });
});

describe('invitations from the console', () => {
  it('mails the ticked consultants and follows the batch to the end', async () => {
    const { browser, deps } = await admin();
    const { riley, noor } = await seedRoster(deps);
    const sent = await submit(browser, '/console/invitations', { ids: [riley, noor] });
    expect(sent.status).toBe(303);
    const batchPath = sent.headers.location as string;
    expect(batchPath).toMatch(/^\/console\/batches\/[0-9a-f-]{36}$/);
    const page = await browser.get(batchPath);
    expect(page.text).toContain('Sending');
    expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="2"></noscript>');
    const status = await browser.get(`${batchPath}/status`).set('accept', 'application/json');
    expect(status.body).toMatchObject({ finished: false, done: 0, total: 2, figures: { pending: 2 } });
    // The outbox sender marks both sent; the page then says done and stops refreshing.
    await deps.db
      .updateTable('mail_outbox')
      .set({ state: 'sent', sent_at: '2026-11-20T09:01:00.000Z' })
      .execute();
    const done = await browser.get(batchPath);
    expect(done.text).toMatch(
      /<strong data-field="state">Done<\/strong> — <span data-field="done">2<\/span> of <span data-field="total">2/,
    );
    expect(done.text).not.toContain('http-equiv="refresh"');
    expect((await audit(deps, 'invitation.created'))[0]).toMatchObject({ actor, subject_type: 'batch' });
  });

  it('invites everyone not yet linked', async () => {
    const { browser, deps } = await admin();
    const { noor } = await seedRoster(deps);
    const sent = await submit(browser, '/console/invitations', { scope: 'unlinked' });
    const invited = await deps.db.selectFrom('invitations').select('consultant_id').execute();
    expect(invited).toEqual([{ consultant_id: noor }]);
    expect(sent.headers.location).toMatch(/^\/console\/batches\//);
  });

  it('asks for a choice when nobody is ticked', async () => {
    const { browser } = await admin();
    const refused = await submit(browser, '/console/invitations', {});
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Tick at least one consultant');
  });

  it('re-sends: the new link replaces the old one; revoking kills the open link', async () => {
    const { browser, deps } = await admin();
    const { riley } = await seedRoster(deps);
    await submit(browser, `/console/consultants/${riley}/invite`);
    const resent = await submit(browser, `/console/consultants/${riley}/invite`);
    expect(resent.headers.location).toBe(`/console/consultants/${riley}?notice=invited`);
    const states = async () =>
      (await deps.db.selectFrom('invitations').select(['id', 'state']).orderBy('created_at').execute()).map(
        (i) => i.state,
      );
    expect((await states()).sort()).toEqual(['open', 'superseded']);
    const page = await browser.get(resent.headers.location as string);
    expect(page.text).toContain('A new invitation is on its way');
    expect(page.text).toMatch(/invitation: <strong>queued<\/strong>/);
    const open = await deps.db
      .selectFrom('invitations')
      .select('id')
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    const revoked = await submit(browser, `/console/invitations/${open.id}/revoke`);
    expect(revoked.headers.location).toBe(`/console/consultants/${riley}?notice=revoked`);
    expect((await states()).sort()).toEqual(['revoked', 'superseded']);
    expect((await audit(deps, 'invitation.revoked'))[0]?.actor).toBe(actor);
  });

  it('offboards: open links revoked, links retired, history kept', async () => {
    const { browser, deps } = await admin();
    const { riley } = await seedRoster(deps);
    await submit(browser, `/console/consultants/${riley}/invite`);
    const offboarded = await submit(browser, `/console/consultants/${riley}/offboard`);
    expect(offboarded.headers.location).toBe(`/console/consultants/${riley}?notice=offboarded`);
    const page = await browser.get(offboarded.headers.location as string);
    expect(page.text).toContain('Offboarded: open links are revoked');
    expect(page.text).toContain('retired');
    expect(page.text).not.toContain('Re-send invitation');
    const row = await deps.db
      .selectFrom('consultants')
      .select('status')
      .where('id', '=', riley)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('offboarded');
    expect((await audit(deps, 'consultant.offboarded'))[0]?.actor).toBe(actor);

    // Back again: Reinstate on the same page makes them active and invitable, links still retired.
    expect(page.text).toContain('Reinstate');
    const reinstated = await submit(browser, `/console/consultants/${riley}/reinstate`);
    expect(reinstated.headers.location).toBe(`/console/consultants/${riley}?notice=reinstated`);
    const after = await browser.get(reinstated.headers.location as string);
    expect(after.text).toContain('Reinstated. Send them an invitation');
    expect(after.text).toContain('Re-send invitation');
    expect(after.text).toContain('retired');
    expect((await audit(deps, 'consultant.reinstated'))[0]?.actor).toBe(actor);
  });
});

describe('acknowledging findings', () => {
  it('records who, when and why, and shows it until the verdict changes', async () => {
    const { browser, deps, clock } = await admin();
    const { rileyLink } = await seedRoster(deps);
    const acked = await submit(browser, `/console/findings/${rileyLink}/acknowledge`, {
      verdict: 'reader_only',
      note: 'Customer is adding Contributor next week',
      back: '/console/findings',
    });
    expect(acked.headers.location).toBe('/console/findings?notice=acknowledged');
    const findings = await browser.get('/console/findings');
    expect(findings.text).toContain('Acknowledged</span>');
    expect(findings.text).toContain(
      'by alex.admin@contoso.example, 2026-11-20 09:00 UTC: “Customer is adding Contributor next week”',
    );
    expect((await audit(deps, 'finding.acknowledged'))[0]).toMatchObject({ actor, subject_id: rileyLink });

    // A new spell of the verdict (it went away and came back) is a new finding again.
    clock.advance(3_600_000);
    await deps.db
      .updateTable('associations')
      .set({ verdict_since: clock.now().toISOString() })
      .where('id', '=', rileyLink)
      .execute();
    const again = await browser.get('/console/findings');
    expect(again.text).not.toContain('Acknowledged</span>');
    expect(again.text).toContain(`action="/console/findings/${rileyLink}/acknowledge"`);
  });

  it('refuses to acknowledge a verdict the link no longer shows', async () => {
    const { browser, deps } = await admin();
    const { rileyLink } = await seedRoster(deps);
    const stale = await submit(browser, `/console/findings/${rileyLink}/acknowledge`, {
      verdict: 'no_access',
      note: '',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('The verdict changed since the page was shown');
    expect(await deps.db.selectFrom('finding_acknowledgements').selectAll().execute()).toHaveLength(0);
  });
});

describe('health checks from the console', () => {
  it('starts a run, audits it and shows its progress', async () => {
    const { browser, deps } = await admin();
    const started = await submit(browser, '/console/checks');
    expect(started.status).toBe(303);
    const runPath = started.headers.location as string;
    expect(runPath).toMatch(/^\/console\/checks\/[0-9a-f-]{36}$/);
    const runId = runPath.split('/').at(-1);
    expect((await audit(deps, 'health_check.started'))[0]).toMatchObject({ actor, subject_id: runId });
    // Nothing to check: the run ends at once.
    await expect
      .poll(
        async () => (await browser.get(`${runPath}/status`).set('accept', 'application/json')).body.finished,
      )
      .toBe(true);
    const page = await browser.get(runPath);
    expect(page.text).toContain('Done');
    expect(page.text).toContain('See the findings');
  });

  it('answers an unknown run or batch with a page, not JSON', async () => {
    const { browser } = await admin();
    const page = await browser.get('/console/checks/00000000-0000-4000-8000-000000000000');
    expect(page.status).toBe(404);
    expect(page.text).toContain('No health check run with this ID');
    expect((await browser.get('/console/batches/nonsense')).status).toBe(404);
  });
});
