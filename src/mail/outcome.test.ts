import { describe, expect, it } from 'vitest';
import { classifySendError } from './outcome.ts';

const smtpError = (props: Record<string, unknown>) =>
  Object.assign(new Error(String(props.message ?? 'x')), props);

describe('classifying a failed send', () => {
  it('a 5xx refusal is permanent and keeps the server reply as the reason', () => {
    const err = smtpError({ code: 'EENVELOPE', response: '550 5.1.1 no such user', responseCode: 550 });
    expect(classifySendError(err)).toEqual({
      ok: false,
      permanent: true,
      reason: '550 5.1.1 no such user',
      code: 'EENVELOPE',
    });
  });

  it('reads the reply from the per-recipient error when every recipient was refused', () => {
    const err = smtpError({
      code: 'EENVELOPE',
      message: "Can't send mail - all recipients were rejected",
      rejected: ['a@example.com'],
      rejectedErrors: [
        smtpError({ code: 'EENVELOPE', response: '553 5.1.3 bad address', responseCode: 553 }),
      ],
    });
    expect(classifySendError(err)).toMatchObject({ permanent: true, reason: '553 5.1.3 bad address' });
  });

  it('a 4xx reply, and 503 (a session problem), are temporary', () => {
    for (const responseCode of [421, 450, 451, 452, 503]) {
      const err = smtpError({ code: 'EENVELOPE', response: `${responseCode} later`, responseCode });
      expect(classifySendError(err).permanent).toBe(false);
    }
  });

  it('connection, TLS and authentication problems are temporary even with a 5xx reply', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'EAUTH']) {
      expect(classifySendError(smtpError({ code, responseCode: 535 })).permanent).toBe(false);
    }
    expect(classifySendError(new Error('something odd')).permanent).toBe(false);
    expect(classifySendError('not even an error').permanent).toBe(false);
  });

  it('an envelope refused before anything was sent is permanent', () => {
    expect(classifySendError(smtpError({ code: 'EENVELOPE', message: 'Invalid recipient' })).permanent).toBe(
      true,
    );
  });

  it('keeps the reason to one bounded line', () => {
    const err = smtpError({
      code: 'EMESSAGE',
      response: `554 ${'spam '.repeat(200)}\r\nsecond line`,
      responseCode: 554,
    });
    const outcome = classifySendError(err);
    expect(outcome.reason).not.toMatch(/[\r\n]/);
    expect(outcome.reason.length).toBeLessThanOrEqual(500);
  });
});
