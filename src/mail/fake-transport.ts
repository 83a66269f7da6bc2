import type { MailTransport, OutgoingMail, SendOutcome } from './transport.ts';

type Failure = Extract<SendOutcome, { ok: false }>;

export const temporaryFailure = (reason = '451 4.3.0 try again later', code = 'EENVELOPE'): Failure => ({
  ok: false,
  permanent: false,
  reason,
  code,
});

export const permanentFailure = (reason = '550 5.1.1 mailbox unavailable', code = 'EENVELOPE'): Failure => ({
  ok: false,
  permanent: true,
  reason,
  code,
});

export interface FakeMailTransport extends MailTransport {
  /** Every call to `send`, in order, whatever its outcome. */
  readonly attempts: OutgoingMail[];
  /** The messages that were delivered (outcome ok), in order. */
  readonly delivered: OutgoingMail[];
  /** The delivered messages for one address (case-insensitive). */
  deliveredTo(address: string): OutgoingMail[];
  /** Queues outcomes for the next sends to this address, one per attempt; afterwards sends succeed again. */
  script(address: string, ...outcomes: SendOutcome[]): void;
  /** Every send to this address gets this outcome until `reset()`. */
  always(address: string, outcome: SendOutcome): void;
  /** The most messages that were being sent at the same moment (with `latencyMs`). */
  readonly maxConcurrent: number;
  readonly closed: boolean;
  /** Forgets attempts, deliveries and scripts. */
  reset(): void;
}

/**
 * A mail transport for tests: records what was sent and answers with scripted outcomes per
 * recipient (delivered by default). `latencyMs` makes each send take that long, to observe concurrency.
 */
export function createFakeMailTransport(
  options: { kind?: MailTransport['kind']; latencyMs?: number } = {},
): FakeMailTransport {
  const attempts: OutgoingMail[] = [];
  const delivered: OutgoingMail[] = [];
  const scripted = new Map<string, SendOutcome[]>();
  const fixed = new Map<string, SendOutcome>();
  let concurrent = 0;
  let maxConcurrent = 0;
  let closed = false;
  let counter = 0;
  const key = (address: string) => address.trim().toLowerCase();

  return {
    kind: options.kind ?? 'smtp',
    attempts,
    delivered,
    get maxConcurrent() {
      return maxConcurrent;
    },
    get closed() {
      return closed;
    },
    deliveredTo: (address) => delivered.filter((mail) => key(mail.to) === key(address)),
    script(address, ...outcomes) {
      scripted.set(key(address), [...(scripted.get(key(address)) ?? []), ...outcomes]);
    },
    always(address, outcome) {
      fixed.set(key(address), outcome);
    },
    reset() {
      attempts.length = 0;
      delivered.length = 0;
      scripted.clear();
      fixed.clear();
      maxConcurrent = 0;
    },
    async send(mail) {
      attempts.push(mail);
      if (closed) return temporaryFailure('the mail transport is closed', 'ECLOSED');
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      try {
        if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
        const outcome = scripted.get(key(mail.to))?.shift() ??
          fixed.get(key(mail.to)) ?? { ok: true, providerMessageId: `fake-${++counter}` };
        if (outcome.ok) delivered.push(mail);
        return outcome;
      } finally {
        concurrent -= 1;
      }
    },
    async close() {
      closed = true;
    },
  };
}
