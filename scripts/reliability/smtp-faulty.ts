/**
 * A real SMTP server (smtp-server, on 127.0.0.1) that fails the way mail relays do, for the bulk-send
 * fault scenarios. Recipients steer permanent refusals: `refused-…@` gets 550 at RCPT, `spam-…@` 554
 * after DATA. Seeded dice add, per message: a 451 at RCPT (try later), a connection dropped before the
 * reply to DATA (the message is not kept), a connection dropped *after* the message was kept (the
 * sender cannot know it arrived: the one way a correct sender delivers twice), and silence after DATA
 * until the client's timeout gives up.
 */
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpFaultRates {
  /** 451 at RCPT TO. */
  tempRefusal: number;
  /** The connection is destroyed at the end of DATA, before any reply; the message is not kept. */
  dropBeforeReply: number;
  /** The message is kept, then the connection destroyed before the 250: the sender will send it again. */
  dropAfterAccept: number;
  /** No reply at all after DATA: the client's socket timeout must end it. */
  stall: number;
  seed: number;
}

export interface SmtpFaultCounts {
  tempRefusals: number;
  dropsBeforeReply: number;
  dropsAfterAccept: number;
  stalls: number;
  permanentRefusals: number;
}

/** Mulberry32: small, seedable, good enough for fault dice. */
function dice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const reply = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startFaultySmtpServer(rates: SmtpFaultRates) {
  const random = dice(rates.seed);
  const roll = (rate: number) => rate > 0 && random() < rate;
  /** Every message kept, by recipient (a recipient appearing twice is a duplicate delivery). */
  const received = new Map<string, number>();
  let total = 0;
  const faults: SmtpFaultCounts = {
    tempRefusals: 0,
    dropsBeforeReply: 0,
    dropsAfterAccept: 0,
    stalls: 0,
    permanentRefusals: 0,
  };
  /** smtp-server does not hand the socket to its hooks: found among its connections by session ID. */
  const socketOf = (sessionId: string): Socket | undefined => {
    const internal = server as unknown as { connections: Set<{ id: string; _socket: Socket }> };
    for (const connection of internal.connections) if (connection.id === sessionId) return connection._socket;
    return undefined;
  };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const local = address.address.split('@')[0] ?? '';
      if (local.startsWith('refused-')) {
        faults.permanentRefusals += 1;
        return callback(reply(550, '5.1.1 mailbox unavailable'));
      }
      if (roll(rates.tempRefusal)) {
        faults.tempRefusals += 1;
        return callback(reply(451, '4.7.1 try again later'));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        if (to.some((address) => address.startsWith('spam-'))) {
          faults.permanentRefusals += 1;
          return callback(reply(554, '5.7.1 message refused as spam'));
        }
        const socket = socketOf(session.id);
        if (socket && roll(rates.dropBeforeReply)) {
          faults.dropsBeforeReply += 1;
          socket.destroy();
          return;
        }
        const keep = () => {
          for (const address of to) received.set(address, (received.get(address) ?? 0) + 1);
          total += 1;
        };
        if (socket && roll(rates.dropAfterAccept)) {
          faults.dropsAfterAccept += 1;
          keep();
          socket.destroy();
          return;
        }
        if (roll(rates.stall)) {
          faults.stalls += 1;
          return; // never answered: the client gives up and closes
        }
        keep();
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its connections: expected here, not a server failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    faults,
    get total() {
      return total;
    },
    close: () =>
      new Promise<void>((resolve) => {
        const internal = server as unknown as { connections: Set<{ _socket: Socket }> };
        for (const connection of internal.connections) connection._socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type FaultySmtpServer = Awaited<ReturnType<typeof startFaultySmtpServer>>;
