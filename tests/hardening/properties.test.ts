import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCursor, parseCursor } from '../../src/audit/cursor.ts';
import { createLinkTokens } from '../../src/invitations/link-token.ts';
import { parseSmtpUrl, SmtpUrlError } from '../../src/mail/smtp-url.ts';
import { isPartnerIdShape, parseLocationList } from '../../src/platform/config/partner-ids.ts';
import { parseEncryptionKeys } from '../../src/platform/config/schema.ts';
import { neutraliseFormula, restoreFormula } from '../../src/platform/csv-formulas.ts';
import { redactUrl } from '../../src/platform/logger.ts';
import { parseRosterCsv } from '../../src/roster/csv-import.ts';
import { resolveLocation } from '../../src/roster/rules.ts';
import { createConsultantSchema } from '../../src/roster/schemas.ts';

/**
 * Properties of the parsers and validators that hostile input meets first. Each runs a few hundred
 * generated inputs (fast-check's default 100 unless said), seeded per run; a failure prints the
 * shrunk counterexample and the seed to replay it.
 */
const runs = (numRuns: number) => ({ numRuns });
const TRIGGERS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
const PARTNER = {
  globalId: '4471230',
  locations: [
    { id: '4471231', label: 'UK', isDefault: true },
    { id: '4471232', label: 'DE', isDefault: false },
  ],
};

describe('partner IDs', () => {
  it('accept exactly 4 to 10 ASCII digits', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(isPartnerIdShape(value)).toBe(/^[0-9]{4,10}$/.test(value));
      }),
      runs(500),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4,10}$/), (id) => {
        expect(isPartnerIdShape(id)).toBe(true);
      }),
    );
  });

  it('resolve a location only to one of ours, never to the global ID, and never throw', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), (requested) => {
        const resolved = resolveLocation(requested, PARTNER);
        if (resolved.ok) expect(PARTNER.locations.map((l) => l.id)).toContain(resolved.value.id);
        else expect(resolved.message.length).toBeGreaterThan(10);
        if (requested?.trim() === PARTNER.globalId) expect(resolved.ok).toBe(false);
      }),
      runs(500),
    );
  });

  it('parse a location list into distinct, well-formed IDs, or say what is wrong', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const parsed = parseLocationList(raw, '4471230');
        if (!parsed.ok) {
          expect(parsed.problems.length).toBeGreaterThan(0);
          return;
        }
        const ids = parsed.locations.map((l) => l.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(isPartnerIdShape(id) && id !== '4471230').toBe(true);
        expect(parsed.locations.filter((l) => l.isDefault)).toHaveLength(1);
      }),
      runs(500),
    );
  });
});

describe('email normalisation', () => {
  it('never throws, and what it accepts is trimmed, lower-case, at most 254 characters and stable', () => {
    const address = fc.oneof(
      fc.emailAddress(),
      fc.string(),
      fc.emailAddress().map((e) => ` ${e.toUpperCase()}\t`),
    );
    fc.assert(
      fc.property(address, (email) => {
        const parsed = createConsultantSchema.safeParse({ email });
        if (!parsed.success) return;
        const stored = parsed.data.email;
        expect(stored).toBe(stored.trim().toLowerCase());
        expect(stored.length).toBeLessThanOrEqual(254);
        expect(stored).not.toMatch(/[\r\n\s]/);
        const again = createConsultantSchema.safeParse({ email: stored });
        expect(again.success && again.data.email).toBe(stored);
      }),
      runs(500),
    );
  });
});

describe('the roster CSV parser', () => {
  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const parsed = parseRosterCsv(text);
        if (parsed.ok) for (const row of parsed.rows) expect(row.line).toBeGreaterThanOrEqual(1);
      }),
      runs(500),
    );
  });

  it('reads back every row a CSV writer produced, whatever the names contain', () => {
    const name = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .map((n) => n.trim())
      .filter((n) => !/[\r\n]/.test(n));
    const rows = fc.uniqueArray(fc.record({ local: fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/), name }), {
      minLength: 1,
      maxLength: 30,
      selector: (r) => r.local,
    });
    fc.assert(
      fc.property(rows, fc.constantFrom(',', ';'), (people, delimiter) => {
        const text = stringify(
          [
            ['email', 'displayName'],
            ...people.map((p) => [`${p.local}@contoso.example`, neutraliseFormula(p.name)]),
          ],
          { delimiter },
        );
        const parsed = parseRosterCsv(text);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.errors).toEqual([]);
        expect(parsed.rows.map((r) => r.cells.email)).toEqual(
          people.map((p) => `${p.local}@contoso.example`),
        );
        expect(parsed.rows.map((r) => r.cells.displayName)).toEqual(people.map((p) => p.name));
      }),
      runs(300),
    );
  });
});

describe('the CSV formula guard', () => {
  it('leaves no cell starting with a formula trigger, and the import restores the value exactly', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.string().map((s) => `=${s}`),
      fc.string().map((s) => `''+${s}`),
    );
    fc.assert(
      fc.property(cell, (value) => {
        const safe = neutraliseFormula(value);
        expect(safe).not.toMatch(TRIGGERS);
        expect(restoreFormula(safe)).toBe(value);
      }),
      runs(1000),
    );
  });
});

describe('invitation link tokens', () => {
  const keys = parseEncryptionKeys(
    `new:${Buffer.alloc(32, 7).toString('base64')},old:${Buffer.alloc(32, 9).toString('base64')}`,
  );
  if (typeof keys === 'string') throw new Error(keys);
  const tokens = createLinkTokens(keys);

  it('are 43 URL-safe characters, the same for the same invitation and key, different otherwise', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const token = tokens.tokenFor(a, 'new')!;
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(tokens.tokenFor(a, 'new')).toBe(token);
        expect(tokens.tokenFor(a, 'old')).not.toBe(token);
        if (a !== b) expect(tokens.tokenFor(b, 'new')).not.toBe(token);
        expect(tokens.tokenFor(a, 'removed')).toBeUndefined();
      }),
    );
  });
});

describe('the audit cursor', () => {
  it('round-trips every cursor it hands out', () => {
    const at = fc.date({ min: new Date('2000-01-01'), max: new Date('2200-01-01'), noInvalidDate: true });
    fc.assert(
      fc.property(at, fc.uuid(), (date, id) => {
        const event = { at: date.toISOString(), id };
        expect(parseCursor(formatCursor(event))).toEqual(event);
      }),
    );
  });

  it('never throws, and what it accepts is a normalised time', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        (raw) => {
          const cursor = parseCursor(raw);
          if (cursor) expect(new Date(cursor.at).toISOString()).toBe(cursor.at);
        },
      ),
      runs(500),
    );
  });
});

describe('the SMTP URL parser', () => {
  it('only ever throws its own error, whose message never holds the password', () => {
    // What the parser says of a URL, thrown or not.
    const said = (raw: string) => {
      try {
        return parseSmtpUrl(raw).description;
      } catch (error) {
        expect(error).toBeInstanceOf(SmtpUrlError);
        return (error as Error).message;
      }
    };
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 6 }), (junk, password) => {
        const urls = (pw: string) => [
          junk,
          `smtp://u:${encodeURIComponent(pw)}@${junk}`,
          `smtps://u:${encodeURIComponent(pw)}@h:25?${junk}`,
        ];
        // The same URLs with another password of the same length: a password that also shows there
        // came from the message's own words or the junk it quotes, not from the password.
        const marker = '\u2603'.repeat(password.length);
        const withMarker = urls(marker).map(said);
        urls(password).forEach((raw, i) => {
          const text = said(raw);
          if (text.includes(password)) expect(withMarker[i]).toContain(password);
        });
      }),
      runs(500),
    );
  });

  it('hands nodemailer the exact user and password, however they are spelled', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (user, pass) => {
        const settings = parseSmtpUrl(
          `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@mail.example:25`,
        );
        expect(settings.options.auth).toEqual({ user, pass });
      }),
    );
  });
});

describe('redactUrl', () => {
  it('removes the invitation token however the path is spelled', () => {
    const prefix = fc.constantFrom('/i/', '/I/', '//i/', '///I/');
    const tail = fc.constantFrom('', '/renew', '?x=1', '#f', '/renew?a=b');
    fc.assert(
      fc.property(prefix, base64url, tail, (start, token, end) => {
        expect(redactUrl(`${start}${token}${end}`)).not.toContain(token);
      }),
    );
  });

  it('removes every OAuth secret from the query string, in any case and position', () => {
    const name = fc.constantFrom(
      'code',
      'state',
      'token',
      'client_secret',
      'refresh_token',
      'id_token',
      'access_token',
      'session_state',
    );
    const spelled = fc.tuple(name, fc.boolean()).map(([n, upper]) => (upper ? n.toUpperCase() : n));
    fc.assert(
      fc.property(spelled, base64url, fc.webPath(), fc.boolean(), (param, secret, path, first) => {
        const query = first ? `?${param}=${secret}&a=1` : `?a=1&${param}=${secret}`;
        expect(redactUrl(`${path}${query}`)).not.toContain(secret);
      }),
    );
  });
});
