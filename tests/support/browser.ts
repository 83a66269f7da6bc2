import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (which cannot download its own browser here). The real
 * binary behind the `chromium` wrapper script is preferred: the wrapper prints a harmless warning.
 */
export function chromiumPath(): string {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'Chromium is not installed: apt-get install -y --no-install-recommends chromium (the CI script does this)',
  );
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const ARTIFACTS = new URL('../../test-results/', import.meta.url).pathname;
