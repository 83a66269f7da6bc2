import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { type Clock, systemClock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { createTemplates, PUBLIC_DIR } from '../platform/templates.ts';
import { type ArmCallCounter, createArmCallCounter } from './arm/calls.ts';
import { armRoutes } from './arm/routes.ts';
import { ensureSandboxTls } from './certs.ts';
import { type SandboxContext, seededRandom } from './context.ts';
import { controlRoutes } from './control/routes.ts';
import { identityRoutes } from './identity/routes.ts';
import { loadOrCreateSigningKeys } from './keys.ts';
import { type SeedPartner, seedWorld } from './world/seed.ts';
import { createWorld, loadWorldFile, type World } from './world/world.ts';

export interface SandboxOptions {
  /** Where the CA, signing key, app secret and world are kept; undefined keeps everything in memory. */
  dir: string | undefined;
  port: number;
  /** Plain-HTTP port for the browser-facing pages; 0 picks a free one. */
  browserPort?: number;
  partner: SeedPartner;
  clientId: string;
  logger: Logger;
  clock?: Clock;
  /** Start from the seed even if a saved world exists. */
  fresh?: boolean;
}

export interface RunningSandbox {
  url: string;
  /** Plain HTTP on loopback, for pages people open in a browser. */
  browserUrl: string;
  caPem: string;
  clientSecret: string;
  world: World;
  context: SandboxContext;
  /** Every simulated Resource Manager call, counted (also at `GET /_sandbox/control/calls`). */
  armCalls: ArmCallCounter;
  close(): Promise<void>;
}

/**
 * Starts the simulated Microsoft identity platform and Resource Manager on one HTTPS port of the
 * loopback interface; the production code talks to it exactly as it would to Microsoft. The same routes
 * also answer on a plain-HTTP loopback port, which discovery names for the browser-facing pages.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const clock = options.clock ?? systemClock;
  const dir = options.dir;
  if (dir) mkdirSync(dir, { recursive: true });
  // Certificates are dated by the real clock: TLS checks them against real time, whatever a test's clock says.
  const tls = await ensureSandboxTls(dir, new Date());
  const keys = await loadOrCreateSigningKeys(dir ? join(dir, 'signing-key.json') : undefined);
  const clientSecret = loadOrCreateSecret(dir ? join(dir, 'app-secret.txt') : undefined);
  const worldFile = dir ? join(dir, 'world.json') : undefined;
  const saved = worldFile && !options.fresh ? loadWorldFile(worldFile) : undefined;
  const world = createWorld(saved ?? seedWorld(options.partner, clock.now()), { file: worldFile });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `https://localhost:${port}`;
  const browserServer = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    browserServer.once('error', reject);
    browserServer.listen(options.browserPort ?? 0, '127.0.0.1', () => resolve());
  });
  const browserUrl = `http://localhost:${(browserServer.address() as AddressInfo).port}`;

  let random = seededRandom(world.knobs().seed);
  const context: SandboxContext = {
    world,
    keys,
    clock,
    logger: options.logger.child({ component: 'sandbox' }),
    templates: createTemplates(),
    baseUrl,
    browserUrl,
    app: { clientId: options.clientId, clientSecret, displayName: 'PAL Manager (sandbox)' },
    random: () => random(),
  };
  app.use('/assets', express.static(PUBLIC_DIR, { index: false }));
  const armCalls = createArmCallCounter();
  app.use(
    '/_sandbox/control',
    controlRoutes(context, {
      reseedDice: (seed) => (random = seededRandom(seed)),
      reset() {
        // The state object stays the same (everything holds it); its contents go back to the seed.
        const seeded = seedWorld(options.partner, clock.now());
        world.change((state) => Object.assign(state, seeded));
        random = seededRandom(world.knobs().seed);
        armCalls.reset();
      },
      armCalls,
    }),
  );
  app.use(armRoutes(context, armCalls));
  app.use(identityRoutes(context));
  app.use((req, res) => {
    res.status(404).json({
      error: { code: 'NotFound', message: `The sandbox has no route for ${req.method} ${req.path}` },
    });
  });

  return {
    url: baseUrl,
    browserUrl,
    caPem: tls.caPem,
    clientSecret,
    world,
    context,
    armCalls,
    close: async () => {
      await Promise.all(
        [server, browserServer].map(
          (listener) =>
            new Promise<void>((resolve) => {
              listener.close(() => resolve());
              listener.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** The sandbox app registration's client secret: generated once so restarts keep the same one. */
function loadOrCreateSecret(file: string | undefined): string {
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = `sbx~${randomBytes(24).toString('base64url')}`;
  if (file) writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
