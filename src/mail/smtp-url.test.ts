import { describe, expect, it } from 'vitest';
import { parseSmtpUrl } from './smtp-url.ts';

describe('SMTP_URL', () => {
  it('defaults to a pool of 5 connections of 100 messages each without a rate limit', () => {
    const { options, description } = parseSmtpUrl('smtp://relay.contoso.example');
    expect(options).toMatchObject({ pool: true, host: 'relay.contoso.example', port: 587, secure: false });
    expect(options).toMatchObject({ maxConnections: 5, maxMessages: 100, requireTLS: false });
    expect(options.rateLimit).toBeUndefined();
    expect(options.auth).toBeUndefined();
    expect(description).toBe(
      'smtp://relay.contoso.example (anonymous, 5 connections, 100 messages each, no rate limit)',
    );
  });

  it('reads the pool size, messages per connection, a rate per second and STARTTLS from the query', () => {
    const { options, description } = parseSmtpUrl(
      'smtps://u:p@smtp.example:2465?pool=8&maxMessages=250&rate=50&requireTLS=true',
    );
    expect(options).toMatchObject({ port: 2465, secure: true, maxConnections: 8, maxMessages: 250 });
    expect(options).toMatchObject({ rateLimit: 50, rateDelta: 1000, requireTLS: true });
    expect(description).toBe(
      'smtps://smtp.example:2465 (authenticated, 8 connections, 250 messages each, at most 50/s, STARTTLS required)',
    );
  });

  it('gives a silent server 60 s by default (under the outbox claim), or the `timeout` in seconds (connecting at most 20 s of it)', () => {
    expect(parseSmtpUrl('smtp://h').options).toMatchObject({
      socketTimeout: 60_000,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
    });
    expect(parseSmtpUrl('smtp://h?timeout=3').options).toMatchObject({
      socketTimeout: 3000,
      connectionTimeout: 3000,
      greetingTimeout: 3000,
    });
  });

  it('decodes percent-escaped credentials and keeps them out of the description', () => {
    const { options, description } = parseSmtpUrl('smtp://apikey:p%40ss%3Aw%2Frd@smtp.example:587');
    expect(options.auth).toEqual({ user: 'apikey', pass: 'p@ss:w/rd' });
    expect(description).not.toMatch(/apikey|p%40ss|p@ss/);
  });

  it('refuses unknown options and out-of-range values, naming the option but never the password', () => {
    const attempts = [
      [
        'smtp://u:hunter2@h?poool=3',
        /unknown option "poool" \(supported: pool, maxMessages, rate, requireTLS, timeout\)/,
      ],
      ['smtp://u:hunter2@h?pool=0', /pool must be a whole number from 1 to 50/],
      ['smtp://u:hunter2@h?rate=fast', /rate must be a whole number/],
      ['smtp://u:hunter2@h?requireTLS=yes', /requireTLS must be true or false/],
      ['smtp://u:hunter2@h?timeout=0', /timeout must be a whole number from 1 to 90/],
      ['smtp://u:hunter2%zz@h', /broken %-escape/],
      ['http://u:hunter2@h', /must start with smtp:\/\/ or smtps:\/\//],
      ['smtp://u:hunter2@', /not a valid URL|names no host/],
    ] as const;
    for (const [url, message] of attempts) {
      expect(() => parseSmtpUrl(url)).toThrow(message);
      expect(() => parseSmtpUrl(url)).not.toThrow(/hunter2/);
    }
  });
});
