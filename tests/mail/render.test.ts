import { describe, expect, it } from 'vitest';
import { createMailRenderer, formatDateInWords, type InvitationMailInput } from '../../src/mail/render.ts';
import { createTemplates } from '../../src/platform/templates.ts';

const renderer = createMailRenderer({ templates: createTemplates() });
const URL_WITH_QUERY = 'https://pal.contoso.example/i/tok_AbC-123?x=1&y=2';

const input = (overrides: Partial<InvitationMailInput> = {}): InvitationMailInput => ({
  partnerName: 'Contoso',
  consultantName: 'Ada Lovelace',
  locationId: '4471231',
  locationLabel: 'Contoso United Kingdom',
  url: URL_WITH_QUERY,
  expiresAt: new Date('2026-12-04T10:00:00Z'),
  kind: 'invitation',
  ...overrides,
});

describe('the invitation mail', () => {
  it('has a short subject that says what to do and how long it takes', () => {
    expect(renderer.renderInvitationMail(input()).subject).toBe(
      'Link your Azure work to Contoso (2 minutes)',
    );
  });

  it('puts the link in the button and again as plain text below it, and on its own line in the text part', () => {
    const mail = renderer.renderInvitationMail(input());
    const escaped = URL_WITH_QUERY.replace('&', '&amp;');
    expect(mail.html.split(`href="${escaped}"`)).toHaveLength(3); // the button and the fallback link
    expect(mail.html).toContain(`>${escaped}</a>`);
    expect(mail.html).toMatch(/<td[^>]*bgcolor="#0b5cad"[^>]*>\s*<a href=/); // a bulletproof button
    expect(mail.text.split('\n')).toContain(URL_WITH_QUERY);
  });

  it('names the partner, the location ID and label, the expiry in words and what PAL is and is not, in both parts', () => {
    const mail = renderer.renderInvitationMail(input());
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('4471231');
      expect(part).toContain('Contoso United Kingdom');
      expect(part).toContain('Friday 4 December 2026');
      expect(part).toContain('Partner Admin Link credits your Azure work at customers to Contoso.');
      expect(part).toContain(
        'It adds no permission, shares no customer data, and only you can change or remove it.',
      );
      expect(part).toContain('Hello Ada Lovelace,');
      expect(part).toContain('Ask your partner programme contact at Contoso.');
    }
  });

  it('names who to contact when given', () => {
    const mail = renderer.renderInvitationMail(input({ contactEmail: 'alliances@contoso.example' }));
    expect(mail.html).toContain('<a href="mailto:alliances@contoso.example"');
    expect(mail.text).toContain('Questions? Write to alliances@contoso.example.');
  });

  it('escapes markup in names in the HTML part and keeps it verbatim, as harmless text, in the text part', () => {
    const mail = renderer.renderInvitationMail(
      input({
        partnerName: 'Contoso <script>alert(1)</script>',
        consultantName: '<img src=x onerror=alert(2)>',
        locationLabel: '"UK" & <Ireland>',
      }),
    );
    expect(mail.html).not.toMatch(/<script|<img/i);
    expect(mail.html).toContain('Contoso &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(mail.html).toContain('&quot;UK&quot; &amp; &lt;Ireland&gt;');
    expect(mail.text).toContain('Contoso <script>alert(1)</script>');
    expect(mail.text).toContain('Hello <img src=x onerror=alert(2)>,');
    expect(mail.text).toContain('"UK" & <Ireland>');
  });

  it('keeps CR and LF out of the subject and the text lines', () => {
    const mail = renderer.renderInvitationMail(
      input({
        partnerName: 'Contoso\r\nBcc: eve@example.com',
        consultantName: 'Ada\n\nP.S. click evil.example',
      }),
    );
    expect(mail.subject).toBe('Link your Azure work to Contoso Bcc: eve@example.com (2 minutes)');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('Hello Ada P.S. click evil.example,');
    expect(mail.text).not.toContain('\r');
  });

  it('is Outlook-safe HTML: tables and inline styles only, no style block, no images, at most 600px wide', () => {
    const { html } = renderer.renderInvitationMail(input());
    expect(html).not.toMatch(/<style|<script|<img|<link|display:\s*(flex|grid)|url\(/i);
    expect(html).toContain('max-width:600px');
    for (const match of html.matchAll(/width="(\d+)"/g)) expect(Number(match[1])).toBeLessThanOrEqual(600);
    expect(html).toContain('role="presentation"');
  });

  it('reminds with a Reminder subject and says the link has not been used', () => {
    const mail = renderer.renderInvitationMail(input({ kind: 'reminder' }));
    expect(mail.subject).toBe('Reminder: link your Azure work to Contoso (2 minutes)');
    expect(mail.text).toContain('your link has not been used yet');
    expect(mail.html).toContain('Reminder: link your Azure work to Contoso');
  });

  it('asks to re-link with the reason in the subject and both parts', () => {
    const mail = renderer.renderInvitationMail(
      input({ kind: 'reinvite', reason: 'your sign-in to Fabrikam has expired' }),
    );
    expect(mail.subject).toBe(
      'Action needed: re-link your Azure work to Contoso (your sign-in to Fabrikam has expired)',
    );
    expect(mail.text).toContain('Why: your sign-in to Fabrikam has expired');
    expect(mail.html).toContain('<strong>Why:</strong> your sign-in to Fabrikam has expired');
    expect(mail.html).toContain('Re-link my Azure work');
  });

  it('shortens a long re-link reason in the subject but keeps it whole in the body', () => {
    const reason = `the link was removed in ${'a very long directory name '.repeat(6)}`.trim();
    const mail = renderer.renderInvitationMail(input({ kind: 'reinvite', reason }));
    expect(mail.subject.length).toBeLessThan(150);
    expect(mail.subject).toMatch(/…\)$/);
    expect(mail.text).toContain(reason);
  });

  it('re-links without a reason too', () => {
    const mail = renderer.renderInvitationMail(input({ kind: 'reinvite' }));
    expect(mail.subject).toBe('Action needed: re-link your Azure work to Contoso');
    expect(mail.text).not.toContain('Why:');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => renderer.renderInvitationMail(input({ url: 'javascript:alert(1)' }))).toThrow(/http/);
  });
});

describe('dates in words', () => {
  it('writes the weekday, day, month and year in UTC', () => {
    expect(formatDateInWords(new Date('2026-12-04T10:00:00Z'))).toBe('Friday 4 December 2026');
    expect(formatDateInWords(new Date('2026-12-01T23:59:59Z'))).toBe('Tuesday 1 December 2026');
    expect(formatDateInWords(new Date('2027-01-01T00:00:00Z'))).toBe('Friday 1 January 2027');
  });
});
