import { Router } from 'express';
import type { SandboxContext } from '../context.ts';

/** Simulated Microsoft identity platform (placeholder until implemented). */
export function identityRoutes(_context: SandboxContext): Router {
  return Router();
}
