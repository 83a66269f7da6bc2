import { describe, expect, it } from 'vitest';
import {
  createFakeMailTransport,
  permanentFailure,
  temporaryFailure,
} from '../../src/mail/fake-transport.ts';
import type { OutgoingMail } from '../../src/mail/transport.ts';

const mail = (to: string, messageId = 'm1'): OutgoingMail => ({
  to,
  subject: 's',
  text: 't',
  html: '<p>h</p>',
  messageId,
});

describe('the fake mail transport', () => {
  it('delivers by default and records what it delivered', async () => {
    const fake = createFakeMailTransport();
    expect(await fake.send(mail('ada@example.com'))).toMatchObject({ ok: true });
    expect(fake.deliveredTo('ADA@example.com')).toHaveLength(1);
  });

  it('answers scripted outcomes per recipient, one per attempt, then delivers again', async () => {
    const fake = createFakeMailTransport();
    fake.script('ada@example.com', temporaryFailure(), temporaryFailure());
    fake.always('bob@example.com', permanentFailure('550 no such user'));
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await fake.send(mail('ada@example.com')));
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true]);
    expect(await fake.send(mail('bob@example.com'))).toEqual(permanentFailure('550 no such user'));
    expect(fake.attempts).toHaveLength(4);
    expect(fake.delivered).toHaveLength(1);
  });

  it('measures concurrency when sends take time, and fails sends after close', async () => {
    const fake = createFakeMailTransport({ latencyMs: 5 });
    await Promise.all([1, 2, 3].map((i) => fake.send(mail(`c${i}@example.com`))));
    expect(fake.maxConcurrent).toBe(3);
    await fake.close();
    expect(await fake.send(mail('late@example.com'))).toMatchObject({ ok: false, permanent: false });
  });
});
