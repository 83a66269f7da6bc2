import { Router } from 'express';
import type { SandboxContext } from '../context.ts';

/** The sandbox control API (placeholder until implemented). */
export function controlRoutes(_context: SandboxContext, _hooks: { reseedDice(seed: number): void }): Router {
  return Router();
}
