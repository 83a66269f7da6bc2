import { describe, expect, it } from 'vitest';
import type { Evidence } from './check-association.ts';
import { settle } from './settle.ts';

const NOW = '2026-11-21T05:00:00.000Z';
const BEFORE = '2026-11-20T05:00:00.000Z';
const evidence = (extra: Partial<Evidence> = {}): Evidence => ({
  partnerId: '4471231',
  expectedPartnerId: '4471231',
  subscriptions: 1,
  roles: [],
  ...extra,
});
const failed = {
  verdict: 'check_failed' as const,
  evidence: evidence({ errorCode: 'HTTP 503', errorKind: 'unavailable', message: 'busy' }),
};

describe('settling a check into what the association shows', () => {
  it('reports a first verdict as a transition from nothing', () => {
    const settled = settle(
      { verdict: null, since: null, evidence: null },
      { verdict: 'healthy', evidence: evidence() },
      NOW,
    );
    expect(settled).toMatchObject({
      verdict: 'healthy',
      since: NOW,
      stale: 0,
      transition: { from: null, to: 'healthy' },
    });
  });

  it('keeps verdict_since and reports nothing when the verdict did not change', () => {
    const settled = settle(
      { verdict: 'healthy', since: BEFORE, evidence: {} },
      { verdict: 'healthy', evidence: evidence() },
      NOW,
    );
    expect(settled).toMatchObject({ verdict: 'healthy', since: BEFORE, transition: undefined });
  });

  it('keeps a known verdict visible, stale, when the check failed, and reports no transition', () => {
    const previous = { verdict: 'healthy', since: BEFORE, evidence: evidence({ roles: [] }) };
    const settled = settle(previous, failed, NOW);
    expect(settled).toMatchObject({ verdict: 'healthy', since: BEFORE, stale: 1, transition: undefined });
    expect(settled.evidence).toMatchObject({
      staleSince: NOW,
      lastFailure: { errorCode: 'HTTP 503', at: NOW },
    });
  });

  it('remembers when a verdict first went stale across several failed runs', () => {
    const first = settle({ verdict: 'healthy', since: BEFORE, evidence: evidence() }, failed, BEFORE);
    const second = settle({ verdict: 'healthy', since: BEFORE, evidence: first.evidence }, failed, NOW);
    expect(second.evidence).toMatchObject({ staleSince: BEFORE, lastFailure: { at: NOW } });
  });

  it('stores check_failed, as a transition, only when nothing was known before', () => {
    expect(settle({ verdict: null, since: null, evidence: null }, failed, NOW)).toMatchObject({
      verdict: 'check_failed',
      stale: 0,
      transition: { from: null, to: 'check_failed' },
    });
    expect(settle({ verdict: 'check_failed', since: BEFORE, evidence: {} }, failed, NOW)).toMatchObject({
      verdict: 'check_failed',
      since: BEFORE,
      transition: undefined,
    });
  });

  it('reports a recovery after a stale period only if the verdict itself changed', () => {
    const stale = { verdict: 'healthy', since: BEFORE, evidence: {} };
    expect(settle(stale, { verdict: 'healthy', evidence: evidence() }, NOW)).toMatchObject({
      stale: 0,
      transition: undefined,
    });
    expect(settle(stale, { verdict: 'reader_only', evidence: evidence() }, NOW).transition).toEqual({
      from: 'healthy',
      to: 'reader_only',
    });
  });
});
