import { describe, expect, it } from 'vitest';
import { isWellFormedVerifier, s256Challenge, verifierMatches } from './pkce.ts';

describe('PKCE S256', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('accepts the verifier that produced the challenge and nothing else', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = s256Challenge(verifier);
    expect(verifierMatches(verifier, challenge)).toBe(true);
    expect(verifierMatches(`${verifier.slice(0, -1)}l`, challenge)).toBe(false);
    // Plain PKCE (verifier === challenge) must not pass as S256.
    expect(verifierMatches(challenge, challenge)).toBe(false);
  });

  it('refuses verifiers outside 43–128 unreserved characters', () => {
    expect(isWellFormedVerifier('a'.repeat(42))).toBe(false);
    expect(isWellFormedVerifier('a'.repeat(43))).toBe(true);
    expect(isWellFormedVerifier('a'.repeat(129))).toBe(false);
    expect(isWellFormedVerifier(`${'a'.repeat(43)}+`)).toBe(false);
  });
});
