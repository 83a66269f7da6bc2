import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636: 43–128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isWellFormedVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))` — the S256 transformation. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Does the verifier presented at the token endpoint prove possession of the authorize-time challenge? */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!isWellFormedVerifier(verifier)) return false;
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(s256Challenge(verifier));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
