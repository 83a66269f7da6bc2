import { describe, expect, it } from 'vitest';
import { ADMINS, NORTHWIND, setup } from './support.ts';

const digestsTo = (t: Awaited<ReturnType<typeof setup>>, address: string) =>
  t.mail.deliveredTo(address).filter((mail) => mail.subject.startsWith('PAL health check'));

describe('the admin digest after a health check run', () => {
  it('mails every admin one digest with the counts, the changes worst first and what each verdict means', async () => {
    const t = await setup();
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    const eve = await t.addConsultant('eve@contoso.example', 'Eve Moneypenny');
    const finn = await t.addConsultant('finn@contoso.example', 'Finn Mertens');
    await t.notify(
      t.report([
        {
          consultant: finn,
          from: 'pal_missing',
          to: 'healthy',
          tenantName: 'Northwind',
          tenantId: NORTHWIND,
        },
        { consultant: dana, from: 'healthy', to: 'pal_missing' },
        { consultant: eve, from: null, to: 'account_revoked' },
      ]),
    );
    await t.sender.drain();

    for (const admin of ADMINS) {
      const [digest, ...others] = digestsTo(t, admin);
      expect(others).toHaveLength(0);
      expect(digest!.subject).toBe('PAL health check: 3 changes, 2 need action (Contoso)');
      for (const part of [digest!.html, digest!.text]) {
        // Worst first: the revoked account, then the missing link, then the recovery.
        const order = ['Eve Moneypenny', 'Dana Scully', 'Finn Mertens'].map((name) => part.indexOf(name));
        expect(order.every((at) => at >= 0)).toBe(true);
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(part).toContain('healthy → pal_missing');
        expect(part).toContain('first check → account_revoked');
        expect(part).toContain('no Partner Admin Link in the customer tenant');
        expect(part).toContain('A fresh link was emailed to the consultant.');
        expect(part).toContain('https://pal.contoso.example/api/health-checks/run-1');
      }
      // The counts by verdict, in words.
      expect(digest!.text).toMatch(/Healthy: 9\n\s*/);
      expect(digest!.text).toContain('PAL link missing: 2');
      expect(digest!.html).toContain('Account revoked');
    }
    const rows = await t.outbox('digest');
    expect(rows.map((row) => row.to_address).sort()).toEqual(ADMINS);
    expect(rows.every((row) => row.batch_id === null && row.state === 'sent')).toBe(true);
  });

  it('escapes names from customer directories in the HTML part and keeps them readable in the text part', async () => {
    const t = await setup();
    const mallory = await t.addConsultant('mallory@contoso.example', '<img src=x onerror=alert(1)> & Co');
    await t.notify(t.report([{ consultant: mallory, to: 'reader_only', tenantName: '<b>Tailspin</b>' }]));
    await t.sender.drain();

    const [digest] = digestsTo(t, ADMINS[0]!);
    expect(digest!.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Co');
    expect(digest!.html).toContain('&lt;b&gt;Tailspin&lt;/b&gt;');
    expect(digest!.html).not.toContain('<img');
    expect(digest!.html).not.toContain('<b>Tailspin');
    expect(digest!.text).toContain('<img src=x onerror=alert(1)> & Co');
  });

  it('shows error codes, partner IDs and role names from the evidence, never its messages or tokens', async () => {
    const t = await setup();
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    await t.notify(
      t.report([
        {
          consultant: dana,
          to: 'reauth_required',
          evidence: {
            errorCode: 'AADSTS700082',
            message: 'The refresh token has expired: refresh_token=0.AXkA-leaked',
            accessToken: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.leaked',
            roles: [{ roleName: 'Reader' }],
          },
        },
      ]),
    );
    await t.sender.drain();

    const [digest] = digestsTo(t, ADMINS[0]!);
    for (const part of [digest!.html, digest!.text]) {
      expect(part).toContain('error AADSTS700082');
      expect(part).toContain('roles: Reader');
      expect(part).not.toContain('leaked');
      expect(part).not.toContain('eyJ0eXAi');
    }
  });

  it('lists at most 50 changes per verdict and counts the rest, so a mass change stays a small mail', async () => {
    const t = await setup();
    const people = [];
    for (let i = 0; i < 53; i += 1)
      people.push(await t.addConsultant(`c${i}@contoso.example`, `Consultant ${String(i).padStart(2, '0')}`));
    await t.notify(t.report(people.map((consultant) => ({ consultant, from: null, to: 'healthy' }))));
    await t.sender.drain();

    const [digest] = digestsTo(t, ADMINS[0]!);
    expect(digest!.subject).toBe('PAL health check: 53 changes (Contoso)');
    expect(digest!.text).toContain('HEALTHY (53)');
    expect(digest!.text).toContain('Consultant 49');
    expect(digest!.text).not.toContain('Consultant 50');
    expect(digest!.text).toContain('...and 3 more, listed at the link below.');
    expect(digest!.html).toContain('&hellip;and 3 more');
  });

  it('sends no digest when no verdict changed and no admin alert was raised', async () => {
    const t = await setup();
    await t.notify(t.report([]));
    await t.sender.drain();
    expect(await t.outbox('digest')).toHaveLength(0);
    expect(t.mail.delivered).toHaveLength(0);
  });

  it('sends the digest after every run with DIGEST_ALWAYS=true, saying nothing changed', async () => {
    const t = await setup({ DIGEST_ALWAYS: 'true' });
    await t.notify(t.report([]));
    await t.sender.drain();
    const [digest] = digestsTo(t, ADMINS[1]!);
    expect(digest!.subject).toBe('PAL health check: no changes (Contoso)');
    expect(digest!.text).toContain('No verdict changed since the previous run.');
  });

  it('leads with an admin alert, which alone is reason enough to send', async () => {
    const t = await setup();
    await t.notify(
      t.report([], {
        adminAlerts: [
          { kind: 'app_misconfigured', message: "Our app's client secret has expired (AADSTS7000222)." },
        ],
      }),
    );
    await t.sender.drain();
    const [digest] = digestsTo(t, ADMINS[0]!);
    expect(digest!.subject).toBe('PAL health check: 1 alert, no changes (Contoso)');
    expect(digest!.html).toContain('Our app&#39;s client secret has expired (AADSTS7000222).');
    expect(digest!.text.indexOf('NEEDS AN ADMIN')).toBeLessThan(digest!.text.indexOf('All associations now'));
  });

  it('queues each admin one digest per run even when the hook is called twice for it', async () => {
    const t = await setup();
    const dana = await t.addConsultant('dana@contoso.example', 'Dana Scully');
    const report = t.report([{ consultant: dana, to: 'no_access' }]);
    await t.notify(report);
    await t.notify(report);
    await t.sender.drain();
    expect(await t.outbox('digest')).toHaveLength(ADMINS.length);
    expect(digestsTo(t, ADMINS[0]!)).toHaveLength(1);
  });
});
