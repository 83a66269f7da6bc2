/**
 * Invitation tokens as an attacker or a mangling mail client would present them, derived from one
 * real token. Each must get an error page (4xx), never a 5xx, and must not open the invitation.
 */
const flip = (char: string) => (char === 'A' ? 'B' : 'A');

export function tamperedTokens(token: string): [string, string][] {
  const last = token.length - 1;
  const cases: [string, string][] = [
    ['last character changed', `${token.slice(0, last)}${flip(token[last]!)}`],
    ['first character changed', `${flip(token[0]!)}${token.slice(1)}`],
    ['case swapped', token.replace(/[a-z]/, (c) => c.toUpperCase())],
    ['one character short', token.slice(0, last)],
    ['half', token.slice(0, 20)],
    ['one character long', `${token}A`],
    ['padding added', `${token}=`],
    ['doubled', `${token}${token}`],
    ['standard base64 alphabet', token.replaceAll('-', '+').replaceAll('_', '%2F')],
    ['NUL appended', `${token}%00`],
    ['space appended', `${token}%20`],
    ['encoded slash and dots', `${token}%2F..%2F..`],
    ['double-encoded', encodeURIComponent(encodeURIComponent(token)).replace(/^/, '%25')],
    ['extension', `${token}.json`],
  ];
  // A token without `-`, `_` or lower-case letters is unchanged by some rewrites: those are not tampering.
  return cases.filter(([, bad]) => bad !== token);
}

/** Tokens with no relation to a real one (dot segments are in the path-tricks corpus: fetch would resolve them). */
export const JUNK_TOKENS: [string, string][] = [
  ['NUL', '%00'],
  ['10,000 characters', 'a'.repeat(10_000)],
  ['script', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  ['broken percent-escape', '%E0%A4%A'],
  ['Cyrillic', '%D1%82%D0%B5%D1%81%D1%82'],
  ['SQL', "'%20OR%20'1'%3D'1"],
  ['CRLF', 'x%0D%0ASet-Cookie:%20pwned=1'],
  ['JWT-looking', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
];
