import { Router } from 'express';
import type { SandboxContext } from '../context.ts';

/** Simulated Azure Resource Manager (placeholder until implemented). */
export function armRoutes(_context: SandboxContext): Router {
  return Router();
}
