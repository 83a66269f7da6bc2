import { describe, expect, it } from 'vitest';
import { seedRoster } from './seed.ts';
import { consolePerTest, ORIGIN, signedIn, submit } from './support.ts';

const setup = consolePerTest();

async function adminWithRoster() {
  const built = await setup();
  const seeded = await seedRoster(built.deps);
  const browser = await signedIn(built.agent());
  return { ...built, ...seeded, browser };
}

describe('console pages for a signed-in admin', () => {
  it('renders every page with the navigation and no error', async () => {
    const { browser, riley } = await adminWithRoster();
    const pages: [string, string][] = [
      ['/console', 'Coverage'],
      ['/console/consultants', 'Add a consultant'],
      [`/console/consultants/${riley}`, 'PAL links across tenants'],
      ['/console/findings', 'Findings'],
      ['/console/audit', 'Audit log'],
      ['/console/settings', 'Redirect URIs to register'],
      ['/console/tokens', 'Create a token'],
    ];
    for (const [path, heading] of pages) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).toContain(heading);
      expect(page.text, path).toContain('aria-current="page"');
      expect(page.text, path).toContain('SANDBOX');
    }
  });

  it('shows coverage, findings by verdict and a trend chart on the dashboard', async () => {
    const { browser } = await adminWithRoster();
    const page = await browser.get('/console');
    expect(page.text).toMatch(/2 <span class="of">of 3<\/span>/);
    expect(page.text).toMatch(/<p class="figure">1<\/p>\s*<p>not yet linked/);
    expect(page.text).toMatch(/Reader only<\/span><\/a>\s*<span class="count">1<\/span>/);
    expect(page.text).toMatch(/Healthy<\/span><\/a>\s*<span class="count">1<\/span>/);
    // One bar per run, each segment titled with its numbers; the table repeats them as text.
    expect(page.text).toContain('<svg class="plot" viewBox="0 0 720 240" role="img"');
    expect(page.text).toContain('<title>11-19 05:00: 1 Reader only</title>');
    expect(page.text).toContain('<title>11-18 05:00: 2 Healthy</title>');
    expect(page.text).toContain('Next scheduled');
    expect(page.text).toContain('2026-11-21 05:00 UTC');
  });

  it('searches and filters the consultants by verdict, location and link', async () => {
    const { browser } = await adminWithRoster();
    const names = async (query: string) => {
      const page = await browser.get(`/console/consultants${query}`);
      return [...page.text.matchAll(/<a href="\/console\/consultants\/[^"]+">([^<]+)<\/a>/g)].map(
        (m) => m[1],
      );
    };
    expect(await names('')).toEqual(['Dana Contributor', 'Noor No-Roles', 'Riley Reader']);
    expect(await names('?verdict=reader_only')).toEqual(['Riley Reader']);
    expect(await names('?link=unlinked')).toEqual(['Noor No-Roles']);
    expect(await names('?q=RILEY')).toEqual(['Riley Reader']);
    expect(await names('?location=4471232')).toEqual([]);
    expect(await names('?verdict=nonsense&location=')).toHaveLength(3);
  });

  it('shows a consultant’s links with verdicts over runs and their evidence', async () => {
    const { browser, riley } = await adminWithRoster();
    const page = await browser.get(`/console/consultants/${riley}`);
    expect(page.text).toContain('Fabrikam');
    expect(page.text).toMatch(
      /2026-11-19 05:00 UTC<\/a> <span class="badge tone-warn"><span aria-hidden="true">!<\/span> Reader only/,
    );
    expect(page.text).toMatch(
      /2026-11-18 05:00 UTC<\/a> <span class="badge tone-ok"><span aria-hidden="true">✓<\/span> Healthy/,
    );
    expect(page.text).toContain('Reader @ subscription 5f0c8a2e — not eligible');
  });

  it('lists findings with evidence, and exports the same CSV as the API', async () => {
    const { browser, app } = await adminWithRoster();
    const page = await browser.get('/console/findings');
    expect(page.text).toContain('Riley Reader');
    expect(page.text).not.toContain('Dana Contributor');
    const csv = await browser.get('/console/findings.csv?verdict=reader_only');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const api = await (await import('supertest'))
      .default(app)
      .get('/api/associations.csv?verdict=reader_only')
      .set('authorization', 'Bearer test-admin-token-0123456789abcdef');
    expect(csv.text).toBe(api.text);
    expect(csv.text).toContain('riley.reader@contoso.example');
  });

  it('pages through the audit log, newest first', async () => {
    const { browser, deps } = await adminWithRoster();
    for (let i = 0; i < 60; i++)
      await deps.db
        .insertInto('audit_events')
        .values({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          at: `2026-11-10T09:${String(i).padStart(2, '0')}:00.000Z`,
          actor: 'api_token:x',
          action: 'consultant.created',
          subject_type: 'consultant',
          subject_id: null,
          detail: null,
          request_id: null,
        })
        .execute();
    const first = await browser.get('/console/audit');
    const older = /href="(\/console\/audit\?before=[^"]+)" rel="next"/.exec(first.text)?.[1];
    expect(older).toBeTruthy();
    const second = await browser.get(older!.replace(/&amp;/g, '&'));
    expect(second.status).toBe(200);
    expect(second.text).toContain('2026-11-10 09:00 UTC');
    expect(first.text).not.toContain('2026-11-10 09:00 UTC');
  });

  it('shows settings but never a secret', async () => {
    const { agent } = await setup({
      SMTP_URL: 'smtp://mailer:hunter2-secret@smtp.contoso.example:587',
      ALERT_WEBHOOK_URL: 'https://hooks.example/secret-path',
    });
    const page = await signedIn(agent());
    const settings = await page.get('/console/settings');
    expect(settings.text).toContain('smtp://smtp.contoso.example:587');
    expect(settings.text).toContain('4471231');
    expect(settings.text).toContain('4471230');
    expect(settings.text).toContain('0 5 * * *');
    expect(settings.text).toContain('alex.admin@contoso.example');
    expect(settings.text).toContain(`${ORIGIN}/console/auth/callback`);
    for (const secret of ['hunter2', 'mailer', 'secret-path', 'component-test-secret', 'test-admin-token']) {
      expect(settings.text).not.toContain(secret);
    }
  });

  it('creates an API token shown once, and revokes it', async () => {
    const { browser, app } = await adminWithRoster();
    const created = await submit(browser, '/console/tokens', { name: 'ci-import' });
    const token = /id="token-value"[^>]*value="(pal_[^"]+)"/.exec(created.text)?.[1];
    expect(token).toBeTruthy();
    expect(created.headers['cache-control']).toBe('no-store');
    const supertest = (await import('supertest')).default;
    expect((await supertest(app).get('/api/audit').set('authorization', `Bearer ${token}`)).status).toBe(200);
    const list = await browser.get('/console/tokens');
    expect(list.text).not.toContain(token);
    expect(list.text).toContain('by console:alex.admin@contoso.example');
    const id = /action="\/console\/tokens\/([^/]+)\/revoke"/.exec(list.text)![1]!;
    expect((await submit(browser, `/console/tokens/${id}/revoke`)).headers.location).toBe(
      '/console/tokens?notice=revoked',
    );
    expect((await supertest(app).get('/api/audit').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });
});
