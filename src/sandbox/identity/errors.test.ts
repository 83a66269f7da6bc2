import { describe, expect, it } from 'vitest';
import { aadError, aadErrorBody, aadTimestamp } from './errors.ts';

const meta = {
  now: new Date('2026-11-20T22:10:00.123Z'),
  baseUrl: 'https://localhost:3443',
  correlationId: '11111111-2222-4333-8444-555555555555',
  traceId: '66666666-7777-4888-8999-000000000000',
};

describe('AADSTS error bodies', () => {
  it('have Microsoft’s keys, description trailer and error_uri', () => {
    const body = aadErrorBody(aadError(50057), meta);
    expect(body).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringMatching(
        /^AADSTS50057: The user account is disabled\..* Trace ID: 66666666-7777-4888-8999-000000000000 Correlation ID: 11111111-2222-4333-8444-555555555555 Timestamp: 2026-11-20 22:10:00Z$/,
      ),
      error_codes: [50057],
      timestamp: '2026-11-20 22:10:00Z',
      trace_id: meta.traceId,
      correlation_id: meta.correlationId,
      error_uri: 'https://localhost:3443/error?code=50057',
    });
  });

  it('carry the sub-errors MSAL turns into InteractionRequiredAuthError', () => {
    expect(aadErrorBody(aadError(65001), meta)).toMatchObject({
      error: 'invalid_grant',
      suberror: 'consent_required',
    });
    const mfa = aadErrorBody(aadError(50076), meta);
    expect(mfa).toMatchObject({ error: 'invalid_grant', suberror: 'basic_action' });
    expect(JSON.parse(String(mfa.claims))).toHaveProperty('access_token');
    expect(aadErrorBody(aadError(50173), meta)).not.toHaveProperty('suberror');
  });

  it('map client and transient failures to their HTTP statuses', () => {
    expect(aadError(7000215)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(aadError(700016)).toMatchObject({ status: 400, error: 'unauthorized_client' });
    expect(aadError(90055)).toMatchObject({ status: 429, error: 'temporarily_unavailable' });
    expect(aadError(50033)).toMatchObject({ status: 503, error: 'temporarily_unavailable' });
  });

  it('still answer a code nobody listed (a knob set to anything) as invalid_grant with that code', () => {
    const err = aadError(4242);
    expect(err).toMatchObject({ code: 4242, status: 400, error: 'invalid_grant' });
    expect(aadErrorBody(err, meta).error_codes).toEqual([4242]);
  });

  it('fill the message with who and where', () => {
    const err = aadError(50020, {
      upn: 'dana@contoso.example',
      tenantName: 'Fabrikam',
      homeTenantId: 'home-tid',
    });
    expect(err.message).toContain(
      "User account 'dana@contoso.example' from identity provider 'https://sts.windows.net/home-tid/'",
    );
    expect(err.message).toContain("does not exist in tenant 'Fabrikam'");
  });

  it('format timestamps to the second', () => {
    expect(aadTimestamp(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02 03:04:05Z');
  });
});
