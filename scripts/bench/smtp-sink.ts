/**
 * A local SMTP sink for `npm run bench:send`, run in its own process so its CPU and memory are not
 * charged to the sender being measured. It accepts every message (no AUTH, no TLS) on 127.0.0.1 and
 * counts messages, bytes, connections and the distinct invitation links it saw.
 *
 * Protocol on stdio: the first stdout line is the port; afterwards each `stats` line on stdin is
 * answered with one JSON line on stdout. Closing stdin stops the sink.
 *
 *   node scripts/bench/smtp-sink.ts [--no-greeting-pause] [--accept-delay-ms N]
 *
 * --accept-delay-ms holds each 250 reply for N ms, as a remote relay does while it queues and scans a
 * message (Exchange Online and other relays take tens to hundreds of milliseconds): the sender's
 * connections, not the CPU, are then the limit — which is what more sender processes add.
 */
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

if (process.argv.includes('--no-greeting-pause')) await dropGreetingPause();
const delayAt = process.argv.indexOf('--accept-delay-ms');
const acceptDelayMs = delayAt > 0 ? Number(process.argv[delayAt + 1]) : 0;

/**
 * smtp-server waits a fixed 100 ms before its 220 greeting on every connection (to catch clients that
 * talk too early). A sender opening one connection per message pays it every time, so with the pause the
 * naive contender mostly measures this timer; without it, it measures connection set-up on loopback.
 * This replaces the (private) connection start-up with one that greets at once.
 */
async function dropGreetingPause(): Promise<void> {
  const specifier: string = 'smtp-server/lib/smtp-connection.js';
  const { SMTPConnection } = (await import(specifier)) as {
    SMTPConnection: { prototype: Record<string, unknown> };
  };
  const proto = SMTPConnection.prototype;
  if (typeof proto.init !== 'function' || typeof proto._setListeners !== 'function') {
    throw new Error('smtp-sink: this smtp-server version cannot have its greeting pause removed');
  }
  proto.init = function (this: { _setListeners(ready: () => void): void; connectionReady(): void }) {
    this._setListeners(() => this.connectionReady());
  };
}

/** An invitation link's token; quoted-printable soft line breaks are removed before matching. */
const LINK = /\/i\/([A-Za-z0-9_-]{43})/;

let messages = 0;
let bytes = 0;
let connections = 0;
let withoutLink = 0;
// Tokens only (43 characters each): 50,000 of them are a few MB, in this process, not the sender's.
const links = new Set<string>();

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  // smtp-server resolves every client's address to a name before greeting it; on loopback without a
  // resolver that costs up to 1.5 s per connection and would measure DNS, not mail.
  disableReverseLookup: true,
  // The pooled contenders open a handful of connections; the naive one opens one per message.
  maxClients: 1000,
  onConnect(_session, callback) {
    connections += 1;
    callback();
  },
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      // Counted before the 250 reply goes out: once a sender saw a message accepted, it is counted.
      messages += 1;
      bytes += raw.length;
      const token = LINK.exec(raw.toString('latin1').replace(/=\r?\n/g, ''))?.[1];
      if (token) links.add(token);
      else withoutLink += 1;
      if (acceptDelayMs > 0) setTimeout(callback, acceptDelayMs);
      else callback();
    });
  },
});
server.on('error', (error) => process.stderr.write(`smtp-sink: ${error.message}\n`));

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.server.address() as AddressInfo).port}\n`);
});

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== 'stats') return;
    process.stdout.write(
      `${JSON.stringify({ messages, bytes, connections, distinctLinks: links.size, withoutLink })}\n`,
    );
  })
  .on('close', () => server.close(() => process.exit(0)));
