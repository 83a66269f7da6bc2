import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.ts';
import { buildDeps, closeDeps } from '../../src/deps.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { TEST_ADMIN_TOKEN, testConfig } from './app.ts';
import { startTestSandbox } from './sandbox.ts';

/**
 * The service on a real port, wired to a fresh sandbox exactly as `npm start` does: only the authority
 * host, the Resource Manager endpoint, the app secret and the trusted CA point at the simulation.
 */
export async function startServiceWithSandbox(options: { logger?: ReturnType<typeof createLogger> } = {}) {
  const sandbox = await startTestSandbox(options.logger ? { logger: options.logger } : {});
  // Listen first on a free port, so PUBLIC_BASE_URL (and with it the OAuth redirect URI) can name it.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  const base = testConfig();
  const config = {
    ...base,
    publicBaseUrl: baseUrl,
    azure: {
      ...base.azure,
      authorityHost: sandbox.url,
      browserAuthorityHost: sandbox.browserUrl,
      armEndpoint: sandbox.url,
      clientSecret: sandbox.clientSecret,
    },
  };
  const deps = await buildDeps(config, {
    logger: options.logger ?? createLogger({ level: 'silent' }),
    trustedCa: sandbox.caPem,
    armRetry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  server.on('request', createApp(deps));

  return {
    sandbox,
    deps,
    baseUrl,
    async api(method: string, path: string, body?: unknown) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: test helper returning whatever JSON the API sent
      return { status: response.status, body: (await response.json()) as any };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await sandbox.close();
      await closeDeps(deps);
    },
  };
}

export type ServiceWithSandbox = Awaited<ReturnType<typeof startServiceWithSandbox>>;
