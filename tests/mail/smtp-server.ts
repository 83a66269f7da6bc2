import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP refusal the way smtp-server sends one: the error's responseCode becomes the reply code. */
function reply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A real SMTP server in this process on 127.0.0.1. Recipients steer it: `refused@…` gets a 550,
 * `later@…` a 451, `spam@…` is accepted but its message refused with 554 after DATA. It counts
 * connections open at the same time, the way the pooled transport's limit is observed from outside.
 */
export async function startSmtpServer(options: { auth?: { user: string; pass: string } } = {}) {
  const received: ReceivedMessage[] = [];
  let open = 0;
  let maxOpen = 0;
  let connections = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onConnect(_session, callback) {
      open += 1;
      connections += 1;
      maxOpen = Math.max(maxOpen, open);
      callback();
    },
    onClose() {
      open -= 1;
    },
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(reply(535, 'Authentication credentials invalid'));
      }
    },
    onRcptTo(address, _session, callback) {
      const local = address.address.split('@')[0];
      if (local === 'refused')
        return callback(reply(550, '5.1.1 <refused@example.com>: mailbox unavailable'));
      if (local === 'later') return callback(reply(451, '4.7.1 greylisted, try again later'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (to.some((address) => address.startsWith('spam@'))) {
          return callback(reply(554, '5.7.1 message refused as spam'));
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: (auth = '') => `smtp://${auth}127.0.0.1:${port}`,
    received,
    get maxOpenConnections() {
      return maxOpen;
    },
    get connectionsOpened() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A server that speaks just enough SMTP to start a transaction, then hangs up in the middle of DATA:
 * what a crashing relay or a dropped network looks like to the client.
 */
export async function startHangingUpServer() {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.write('220 flaky.example ESMTP\r\n');
    let inData = false;
    socket.on('data', (chunk) => {
      if (inData) {
        socket.destroy(); // the first bytes of the message arrive: drop the connection
        return;
      }
      for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'EHLO') socket.write('250-flaky.example\r\n250 8BITMIME\r\n');
        else if (command === 'HELO' || command === 'MAIL' || command === 'RCPT') socket.write('250 OK\r\n');
        else if (command === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (command === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
