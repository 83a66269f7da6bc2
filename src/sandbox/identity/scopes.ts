/**
 * Which token a scope list asks for. The sandbox simulates one resource, Resource Manager; asking
 * for nothing but OpenID scopes gets a Microsoft Graph token, as at Microsoft (and the simulated
 * Resource Manager refuses it for its audience, as the real one would).
 */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

const ARM_RESOURCES = new Set(['https://management.azure.com', 'https://management.core.windows.net']);
export const ARM_DELEGATED_SCOPE = 'https://management.azure.com/user_impersonation';
export const GRAPH_AUDIENCE = '00000003-0000-0000-c000-000000000000';

export type ScopeGrant =
  | {
      ok: true;
      resource: 'arm' | 'graph';
      /** What the token response's `scope` says was granted. */
      granted: string;
      openid: boolean;
      offlineAccess: boolean;
      email: boolean;
      /** The resource scope was `/.default` (the only form app-only tokens accept). */
      isDefault: boolean;
    }
  | { ok: false; invalidScope: string };

export function parseScopes(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/\s+/).filter(Boolean))];
}

/** Splits `https://management.azure.com//user_impersonation` into a resource and a permission. */
function splitResourceScope(scope: string): { resource: string; permission: string } | undefined {
  const slash = scope.lastIndexOf('/');
  if (slash <= 0) return undefined;
  return {
    resource: scope.slice(0, slash).replace(/\/+$/, '').toLowerCase(),
    permission: scope.slice(slash + 1),
  };
}

export function resolveScopes(scopes: string[]): ScopeGrant {
  const lowered = scopes.map((s) => s.toLowerCase());
  const flags = {
    openid: lowered.includes('openid'),
    offlineAccess: lowered.includes('offline_access'),
    email: lowered.includes('email'),
  };
  const resourceScopes = scopes.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  let isDefault = false;
  for (const scope of resourceScopes) {
    const parts = splitResourceScope(scope);
    const permission = parts?.permission.toLowerCase();
    if (!parts || !ARM_RESOURCES.has(parts.resource)) return { ok: false, invalidScope: scope };
    if (permission !== 'user_impersonation' && permission !== '.default')
      return { ok: false, invalidScope: scope };
    if (permission === '.default') isDefault = true;
  }
  if (resourceScopes.length === 0) {
    const oidc = ['openid', 'profile', 'email'].filter((s) => lowered.includes(s));
    return { ok: true, resource: 'graph', granted: [...oidc, 'User.Read'].join(' '), ...flags, isDefault };
  }
  // `/.default` means "what the app is consented for", which for this app is user_impersonation.
  return { ok: true, resource: 'arm', granted: ARM_DELEGATED_SCOPE, ...flags, isDefault };
}
