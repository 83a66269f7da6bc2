import { describe, expect, it } from 'vitest';
import type { RunReport } from '../report.ts';
import { summariseRun } from './summary.ts';
import { buildWebhookPayload, MAX_LISTED } from './webhook-payload.ts';

const context = { partnerName: 'Contoso', publicBaseUrl: 'https://pal.contoso.example' };

function reportWith(count: number): RunReport {
  return {
    runId: 'r1',
    trigger: 'schedule',
    startedAt: '2026-11-20T05:00:00Z',
    finishedAt: '2026-11-20T05:03:00Z',
    total: 100,
    counts: {},
    transitions: Array.from({ length: count }, (_, i) => ({
      associationId: `a${i}`,
      consultantId: `c${i}`,
      email: `c${i}@contoso.example`,
      displayName: `Consultant ${String(i).padStart(2, '0')}`,
      tenantId: 't',
      tenantName: 'Fabrikam',
      from: 'healthy',
      to: 'no_access',
      evidence: { message: 'not for chat' },
    })),
    adminAlerts: [],
  };
}

const payloadFor = (report: RunReport) =>
  buildWebhookPayload(report, summariseRun(report, new Map(), { enabled: true, minDays: 7 }), context);

describe('the webhook payload', () => {
  it(`lists at most ${MAX_LISTED} changes and counts the rest, in both the text and the card`, () => {
    const payload = payloadFor(reportWith(MAX_LISTED + 5));
    expect(payload.text.split('\n').filter((line) => line.startsWith('•'))).toHaveLength(MAX_LISTED);
    expect(payload.text).toContain('…and 5 more');
    expect(JSON.stringify(payload.attachments[0].content)).toContain('…and 5 more');
  });

  it('carries no evidence: a chat channel is wider than the admins', () => {
    expect(JSON.stringify(payloadFor(reportWith(2)))).not.toContain('not for chat');
  });

  it('puts text from directories in TextRuns, never in markdown TextBlocks', () => {
    const report = reportWith(1);
    report.transitions[0]!.displayName = '[click](https://evil.example) **now**';
    const card = JSON.stringify(payloadFor(report).attachments[0].content);
    expect(card).not.toContain('"TextBlock"');
    expect(card).toContain('"type":"TextRun","text":"[click](https://evil.example) **now**"');
  });

  it('has one alert-only form: the alert, no list of changes', () => {
    const report = reportWith(0);
    report.adminAlerts.push({ kind: 'app_misconfigured', message: 'Our client secret expired' });
    const payload = payloadFor(report);
    expect(payload.text).toBe(
      '*PAL health check (Contoso): 1 alert, no changes*\n:warning: Our client secret expired\n<https://pal.contoso.example/api/health-checks/r1|Details of this run>',
    );
  });
});
