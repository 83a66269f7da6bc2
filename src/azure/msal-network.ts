import http from 'node:http';
import https from 'node:https';
import {
  AuthError,
  ClientAuthErrorCodes,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';

/**
 * MSAL's HTTP transport over node:https with keep-alive agents, in place of its default (global fetch).
 * The contract is MSAL's own HttpClient's: the body parsed as JSON, lower-case header names, and
 * AuthErrors `network_error` / `token_parsing_error` on failure. The reason is memory: fetch keeps
 * each response's objects alive past young-generation collections (~13 KB per request reached the
 * old generation in our measurement), which a health-check run of thousands of token refreshes turned
 * into 100+ MB of RSS; node:https promotes next to nothing and costs less than half the CPU.
 */
export function createMsalNetworkClient(options: { postTimeoutMs?: number } = {}): INetworkModule {
  const postTimeoutMs = options.postTimeoutMs ?? POST_TIMEOUT_MS;
  const agents = { https: new https.Agent({ keepAlive: true }), http: new http.Agent({ keepAlive: true }) };

  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeoutMs?: number,
    mayRetryStaleSocket = true,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      let settled = false;
      let answered = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        reject(new AuthError(ClientAuthErrorCodes.networkError, '', message));
      };
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const body = method === 'POST' ? (options?.body ?? '') : undefined;
      const headers: Record<string, string> = { ...options?.headers };
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const request = (secure ? https : http).request(
        target,
        { method, headers, agent: secure ? agents.https : agents.http },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => fail(`Network request failed: ${error.message}`));
          response.on('close', () => {
            if (!response.complete) fail('Network request failed: the connection closed mid-response');
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            let parsed: T;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
            } catch (error) {
              reject(
                new AuthError(
                  ClientAuthErrorCodes.tokenParsingError,
                  '',
                  `Failed to parse response: ${(error as Error).message}`,
                ),
              );
              return;
            }
            resolve({
              headers: headerRecord(response.headers),
              body: parsed,
              status: response.statusCode ?? 0,
            });
          });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server had just closed: the request never reached it. Node's own
        // advice is to send it again once, on a new connection (the server saw nothing to answer).
        if (
          !answered &&
          !settled &&
          mayRetryStaleSocket &&
          request.reusedSocket &&
          STALE_SOCKET.has(error.code ?? '')
        ) {
          settled = true;
          resolve(send<T>(method, url, options, timeoutMs, false));
          return;
        }
        fail(`Network request failed: ${error.message}`);
      });
      if (timeoutMs) {
        request.setTimeout(timeoutMs, () => {
          fail('Request timeout');
          request.destroy();
        });
      }
      request.end(body);
    });

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, requestOptions) => send('POST', url, requestOptions, postTimeoutMs),
  };
}

/**
 * MSAL passes a timeout for GETs (discovery) but none for POSTs: a token endpoint that accepted the
 * connection and never answered would hold a sign-in or a health check forever. The identity platform
 * answers token requests in well under a second; 30 s ends a stuck one as a network error (retried,
 * or a `check_failed` verdict) instead.
 */
const POST_TIMEOUT_MS = 30_000;

/** Errors of a request written to a reused connection the server closed meanwhile. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

function headerRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}
