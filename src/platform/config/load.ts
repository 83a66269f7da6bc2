import { existsSync } from 'node:fs';
import { type Config, parseConfig } from './schema.ts';

/**
 * The one place that reads the environment (after an optional `.env` in the working folder). Problems
 * are printed one per line and the process exits 1: a configuration error is not a crash.
 */
export function loadConfigOrExit(program = 'PAL Manager'): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(
      `${program} cannot start; fix the configuration:\n${parsed.problems.map((p) => `  ${p}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  return parsed.config;
}
