import { describe, expect, it } from 'vitest';
import type { RunReport } from '../report.ts';
import { evidenceLine, summariseRun, withoutSecrets } from './summary.ts';

const policy = { enabled: true, minDays: 7 };
const transition = (name: string, to: string, from: string | null = 'healthy') => ({
  associationId: `a-${name}`,
  consultantId: `c-${name}`,
  email: `${name.toLowerCase()}@contoso.example`,
  displayName: name,
  tenantId: 't1',
  tenantName: 'Fabrikam',
  from,
  to,
  evidence: {},
});
const report = (transitions: RunReport['transitions']): RunReport => ({
  runId: 'r1',
  trigger: 'manual',
  startedAt: '2026-11-20T09:00:00Z',
  finishedAt: '2026-11-20T09:05:00Z',
  total: 10,
  counts: {},
  transitions,
  adminAlerts: [],
});

describe('the summary of a run', () => {
  it('groups transitions by their new verdict, worst first, names in order within a group', () => {
    const summary = summariseRun(
      report([
        transition('Zoe', 'reader_only'),
        transition('Finn', 'healthy', 'pal_missing'),
        transition('Bea', 'reader_only'),
        transition('Eve', 'account_revoked'),
        transition('Ann', 'some_future_verdict'),
      ]),
      new Map(),
      policy,
    );
    expect(summary.groups.map((g) => [g.verdict, g.items.map((i) => i.displayName)])).toEqual([
      ['account_revoked', ['Eve']],
      ['reader_only', ['Bea', 'Zoe']],
      ['some_future_verdict', ['Ann']],
      ['healthy', ['Finn']],
    ]);
    expect(summary.counts).toEqual({ alerts: 0, changes: 5, needAction: 3 });
  });

  it('notes what re-inviting did only on the transitions a new link repairs', () => {
    const summary = summariseRun(
      report([transition('Dana', 'pal_missing'), { ...transition('Dana', 'no_access'), tenantId: 't2' }]),
      new Map([['c-Dana', { status: 'reinvited', invitationId: 'i1' }]]),
      policy,
    );
    const notes = summary.groups.flatMap((g) => g.items.map((i) => [i.to, i.note]));
    expect(notes).toEqual([
      ['pal_missing', 'A fresh link was emailed to the consultant.'],
      ['no_access', undefined],
    ]);
  });
});

describe('the evidence line', () => {
  it('keeps the error code, the partner ID and role names', () => {
    expect(
      evidenceLine({
        errorCode: 'HTTP 503',
        partnerId: '1234567',
        roles: [{ roleName: 'Reader' }, { roleName: 'Reader' }, { roleName: 'Billing Reader' }],
      }),
    ).toBe('error HTTP 503 · linked to partner ID 1234567 · roles: Reader, Billing Reader');
  });

  it('drops free text and anything not shaped like a code, so no message or token gets through', () => {
    expect(
      evidenceLine({
        errorCode: 'refresh_token=0.AXkA secret value that is long enough',
        message: 'AADSTS50173: the grant was revoked',
        partnerId: 'eyJhbGciOi',
        accessToken: 'eyJhbGciOi',
      }),
    ).toBeUndefined();
    expect(evidenceLine('AADSTS50173')).toBeUndefined();
  });
});

describe('an admin alert’s text', () => {
  it('loses anything shaped like a credential and keeps the words around it', () => {
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGci.eyJhdWQiOiJodHRwczov.c2lnbmF0dXJl';
    expect(
      withoutSecrets(
        `AADSTS7000222: secret expired. client_secret=abc123&x=1 Authorization: Bearer ${jwt} token ${jwt} inv_${'A'.repeat(43)}`,
      ),
    ).toBe(
      'AADSTS7000222: secret expired. client_secret=[redacted]&x=1 Authorization: Bearer [redacted] token [redacted] [redacted]',
    );
  });
});
