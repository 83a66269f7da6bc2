import { describe, expect, it } from 'vitest';
import { toSingleLine } from './text.ts';

describe('toSingleLine', () => {
  it('turns CR, LF and tabs into single spaces so a name cannot add a mail header', () => {
    expect(toSingleLine('Ada\r\nBcc: all@contoso.example\tx')).toBe('Ada Bcc: all@contoso.example x');
  });

  it('removes other control characters, Unicode line separators and bidi overrides', () => {
    expect(toSingleLine('A\u0000d\u0007a\u2028L\u202Eevol')).toBe('A d a L evol');
  });

  it('keeps ordinary text, accents and emoji, and trims the ends', () => {
    expect(toSingleLine('  Zoë 👩‍💻 Ñandú  ')).toBe('Zoë 👩‍💻 Ñandú');
  });
});
