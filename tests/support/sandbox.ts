import { trustCertificateAuthority } from '../../src/azure/trust.ts';
import { manualClock } from '../../src/platform/clock.ts';
import { SANDBOX_DEFAULTS } from '../../src/platform/config/sandbox-defaults.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/server.ts';

export const TEST_PARTNER = {
  tenantId: SANDBOX_DEFAULTS.tenantId,
  name: 'Contoso',
  globalId: '4471230',
  locationIds: ['4471231', '4471232'],
};

/**
 * A sandbox on a free loopback port with a fresh in-memory world, its CA trusted by this process.
 * Pass a clock to control token lifetimes; defaults to real time.
 */
export async function startTestSandbox(
  options: { clock?: ReturnType<typeof manualClock>; logger?: ReturnType<typeof createLogger> } = {},
): Promise<RunningSandbox> {
  const sandbox = await startSandbox({
    dir: undefined,
    port: 0,
    partner: TEST_PARTNER,
    clientId: SANDBOX_DEFAULTS.clientId,
    logger: options.logger ?? createLogger({ level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  trustCertificateAuthority(sandbox.caPem);
  return sandbox;
}

export { manualClock };
