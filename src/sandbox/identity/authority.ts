import type { SandboxTenant } from '../world/model.ts';
import type { World } from '../world/world.ts';

/**
 * The `{tenant}` segment of an identity-platform URL. `organizations` and `common` let anyone sign
 * in to their home tenant; a GUID or a default domain names one directory. (`consumers` would be
 * personal Microsoft accounts, which the sandbox does not simulate, so it is an unknown tenant.)
 */
export type Authority =
  | { kind: 'multi'; segment: 'organizations' | 'common' }
  | { kind: 'tenant'; segment: string; tenant: SandboxTenant };

export function resolveAuthority(world: Pick<World, 'tenant'>, segment: string): Authority | undefined {
  const lowered = segment.toLowerCase();
  if (lowered === 'organizations' || lowered === 'common') return { kind: 'multi', segment: lowered };
  const tenant = world.tenant(segment);
  return tenant ? { kind: 'tenant', segment, tenant } : undefined;
}

/** What an endpoint URL carries for this authority: Microsoft rewrites a domain to the tenant's GUID. */
export function authorityPathSegment(authority: Authority): string {
  return authority.kind === 'multi' ? authority.segment : authority.tenant.id;
}
