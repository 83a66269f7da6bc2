import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { Templates } from '../platform/templates.ts';
import type { SandboxKeys } from './keys.ts';
import type { World } from './world/world.ts';

/** What every part of the sandbox gets: the world, the signing keys, time and where it is served. */
export interface SandboxContext {
  world: World;
  keys: SandboxKeys;
  clock: Clock;
  logger: Logger;
  templates: Templates;
  /** `https://localhost:PORT` — both the authority host and the Resource Manager endpoint. */
  baseUrl: string;
  /**
   * `http://localhost:PORT`: the same routes over plain HTTP on loopback, for the pages a browser opens
   * (account picker, admin consent), so the demo shows no certificate warning.
   */
  browserUrl: string;
  /** The one app registration the simulated identity platform knows: the service itself. */
  app: { clientId: string; clientSecret: string; displayName: string };
  /** Dice for fault injection, seeded from the knobs so a run can be repeated. */
  random(): number;
}

/** A small seeded PRNG (mulberry32): fault injection must be repeatable, Math.random is not. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
