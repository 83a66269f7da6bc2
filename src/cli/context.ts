import { buildDeps, closeDeps, type Deps } from '../deps.ts';
import { loadConfigOrExit } from '../platform/config/load.ts';
import { createLogger } from '../platform/logger.ts';
import { attachToSandbox } from '../sandbox/bootstrap.ts';

/**
 * The CLI's dependencies: the same composition root as the server. In the sandbox it attaches to the
 * running server's sandbox (its keys and CA in DATA_DIR/sandbox) rather than starting another.
 */
export async function withCliDeps<T>(run: (deps: Deps) => Promise<T>): Promise<T> {
  let config = loadConfigOrExit('pal');
  let trustedCa: string | undefined;
  if (config.sandbox.enabled) ({ config, caPem: trustedCa } = attachToSandbox(config));
  // Logs go to stderr at warn level: stdout belongs to the command's own output.
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: process.stderr,
  });
  const deps = await buildDeps(config, { logger, ...(trustedCa ? { trustedCa } : {}) });
  try {
    return await run(deps);
  } finally {
    await closeDeps(deps);
  }
}
