import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { buildDeps, closeDeps } from './deps.ts';
import { startBackground } from './jobs/background.ts';
import type { Config } from './platform/config/index.ts';
import { loadConfigOrExit } from './platform/config/load.ts';
import { createLogger } from './platform/logger.ts';
import { prepareSandbox } from './sandbox/bootstrap.ts';
import { prepareDemo } from './sandbox/demo.ts';

/**
 * The server's entry point: read configuration (an optional `.env` first), start the sandbox when
 * no app registration is configured, build the dependencies, listen, and shut down gracefully.
 */
async function main(): Promise<void> {
  let config: Config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });

  const sandbox = config.sandbox.enabled ? await prepareSandbox(config, logger) : undefined;
  if (sandbox) config = sandbox.config;

  const deps = await buildDeps(config, { logger, trustedCa: sandbox?.caPem });
  const demo = sandbox?.running ? await prepareDemo(deps, sandbox.running.world) : [];
  const app = createApp(deps);
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.port, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const background = startBackground(deps);
  logger.info(
    { port: config.port, sandbox: config.sandbox.enabled, mail: deps.mail.kind },
    'PAL Manager is listening',
  );
  if (sandbox) sandbox.announce(process.stdout, demo);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    deps.lifecycle.markShuttingDown();
    const forced = setTimeout(() => {
      logger.warn('requests still open after 10 s; closing them');
      server.closeAllConnections();
    }, 10_000);
    forced.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await background.stop();
    await sandbox?.running?.close();
    await closeDeps(deps);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`PAL Manager failed to start: ${message}\n`);
  process.exit(1);
});
