import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMsalNetworkClient } from './msal-network.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A loopback server answering every request with `handler`; resolves with its base URL. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("MSAL's transport over node:http(s)", () => {
  it('sends a request again on a new connection when the kept-alive one was closed under it', async () => {
    const served = new WeakMap<object, number>();
    let connections = 0;
    const base = await serve((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n === 1) connections += 1;
      // The second request on a connection finds it closed, as when a server's keep-alive timeout
      // and the client's reuse cross.
      if (n === 2) return req.socket.destroy();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ n }));
    });
    const client = createMsalNetworkClient();
    const post = () =>
      client.sendPostRequestAsync<{ n: number }>(`${base}/t/oauth2/v2.0/token`, { body: 'x=1' });
    expect((await post()).body).toEqual({ n: 1 });
    expect((await post()).body).toEqual({ n: 1 });
    expect(connections).toBe(2);
  });

  it('posts the form and hands back the status, the JSON body and lower-case headers', async () => {
    let received = '';
    const base = await serve((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (chunk) => {
        received += chunk;
      });
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/json', 'X-Ms-Request-Id': 'r-1' });
        res.end(JSON.stringify({ error: 'invalid_grant', error_codes: [50076] }));
      });
    });
    const response = await createMsalNetworkClient().sendPostRequestAsync(`${base}/t/oauth2/v2.0/token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&scope=openid',
    });
    expect(received).toBe('grant_type=refresh_token&scope=openid');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', error_codes: [50076] });
    expect(response.headers['x-ms-request-id']).toBe('r-1');
  });

  it('fails as MSAL does: token_parsing_error for a body that is not JSON, network_error when unreachable', async () => {
    const base = await serve((_req, res) => res.end('<html>gateway</html>'));
    const client = createMsalNetworkClient();
    await expect(client.sendGetRequestAsync(`${base}/x`)).rejects.toMatchObject({
      errorCode: 'token_parsing_error',
    });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(client.sendPostRequestAsync(`${base}/x`, { body: '' })).rejects.toMatchObject({
      errorCode: 'network_error',
    });
  });

  it('gives up on a GET after its timeout with network_error', async () => {
    const base = await serve(() => {
      // Never answers.
    });
    await expect(createMsalNetworkClient().sendGetRequestAsync(`${base}/slow`, {}, 50)).rejects.toMatchObject(
      {
        errorCode: 'network_error',
        errorMessage: 'Request timeout',
      },
    );
  });

  it('gives up on a token POST that is never answered (MSAL passes no timeout for POSTs)', async () => {
    const base = await serve(() => {
      // Never answers.
    });
    const started = performance.now();
    await expect(
      createMsalNetworkClient({ postTimeoutMs: 80 }).sendPostRequestAsync(`${base}/t/oauth2/v2.0/token`, {
        body: 'grant_type=refresh_token',
      }),
    ).rejects.toMatchObject({ errorCode: 'network_error', errorMessage: 'Request timeout' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
