import { describe, expect, it } from 'vitest';
import { retryAfterMs, webhookHost } from './webhook.ts';

describe('Retry-After', () => {
  const now = Date.parse('2026-11-20T09:00:00Z');

  it('reads seconds', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(retryAfterMs('Fri, 20 Nov 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Fri, 20 Nov 2026 08:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header, so the normal backoff applies', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-3', now)).toBeUndefined();
  });
});

describe('the webhook host', () => {
  it('keeps only host and port of the URL, whose path and query hold its secret', () => {
    expect(webhookHost('https://hooks.slack.com/services/T000/B000/XXXXSECRET')).toBe('hooks.slack.com');
    expect(webhookHost('https://prod-1.westeurope.logic.azure.com:443/workflows/x?sig=SECRET')).toBe(
      'prod-1.westeurope.logic.azure.com',
    );
  });
});
