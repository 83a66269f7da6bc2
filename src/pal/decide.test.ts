import { describe, expect, it } from 'vitest';
import { decideLink, linkMatches } from './decide.ts';

const partner = { globalId: '4471230', locationIds: ['4471231', '4471232'] };

describe('the PAL link decision', () => {
  it('creates a link when there is none', () => {
    expect(decideLink(null, '4471231', partner)).toEqual({ action: 'create' });
  });

  it('leaves a link to the consultant’s own location alone', () => {
    expect(decideLink('4471231', '4471231', partner)).toEqual({ action: 'keep' });
  });

  it('re-points a link to another of our locations', () => {
    expect(decideLink('4471232', '4471231', partner)).toEqual({
      action: 'repoint',
      from: '4471232',
      reason: 'other_location',
    });
  });

  it('re-points a link to our global ID, which never earns credit', () => {
    expect(decideLink('4471230', '4471231', partner)).toEqual({
      action: 'repoint',
      from: '4471230',
      reason: 'global_id',
    });
  });

  it('asks before replacing another partner’s ID', () => {
    expect(decideLink('5550123', '4471231', partner)).toEqual({ action: 'ask', from: '5550123' });
  });

  it('refuses to target the global ID at all', () => {
    expect(() => decideLink(null, '4471230', partner)).toThrow(/global ID/);
  });
});

describe('link state for the health check', () => {
  it('tells missing, matching and mismatching links apart', () => {
    expect(linkMatches(null, '4471231')).toBe('missing');
    expect(linkMatches('4471231', '4471231')).toBe('match');
    expect(linkMatches('4471232', '4471231')).toBe('mismatch');
  });
});
