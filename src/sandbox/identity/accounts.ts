import type { SandboxTenant, SandboxUser, TenantIdentity, WorldState } from '../world/model.ts';
import type { World } from '../world/world.ts';
import type { Authority } from './authority.ts';
import type { AadErrorParams } from './errors.ts';

/** One account on the picker: who signs in, and into which tenant their tokens will be issued. */
export interface SignInChoice {
  user: SandboxUser;
  tenantId: string;
  objectId: string;
  guest: boolean;
  /** Matches the request's `login_hint`: listed first and focused. */
  hinted: boolean;
}

/**
 * Who can sign in at an authority. Through `organizations`/`common` every account signs in to its
 * home tenant; a tenant-specific authority lists only the people with a (not removed) identity there.
 * Disabled accounts are listed on purpose: picking one shows the AADSTS50057 path, as at Microsoft.
 */
export function signInChoices(state: WorldState, authority: Authority, loginHint?: string): SignInChoice[] {
  const hint = loginHint?.trim().toLowerCase();
  const choices: SignInChoice[] = [];
  if (authority.kind === 'multi') {
    for (const user of state.users) {
      choices.push({ user, tenantId: user.homeTenantId, objectId: user.id, guest: false, hinted: false });
    }
  } else {
    const tenantId = authority.tenant.id.toLowerCase();
    const users = new Map(state.users.map((u) => [u.id, u]));
    for (const identity of state.identities) {
      const user = users.get(identity.userId);
      if (!user || identity.removed || identity.tenantId.toLowerCase() !== tenantId) continue;
      choices.push({
        user,
        tenantId: authority.tenant.id,
        objectId: identity.objectId,
        guest: identity.kind === 'guest',
        hinted: false,
      });
    }
  }
  for (const choice of choices) choice.hinted = !!hint && choice.user.upn.toLowerCase() === hint;
  // Hinted account first; the rest in a stable, readable order.
  return choices.sort(
    (a, b) => Number(b.hinted) - Number(a.hinted) || a.user.displayName.localeCompare(b.user.displayName),
  );
}

export type Access =
  | { ok: true; user: SandboxUser; identity: TenantIdentity; tenant: SandboxTenant }
  | { ok: false; code: number; params: AadErrorParams };

export interface AccessRequest {
  userId: string;
  tenantId: string;
  clientId: string;
  appName: string;
  /** For refresh grants: when the grant (the original sign-in) happened, to honour revoked sessions. */
  grantIssuedAt?: Date;
  /** For refresh grants: apply the user's `refreshError` knob. */
  applyRefreshKnob?: boolean;
}

/**
 * May this account get tokens for this tenant now? The order follows what Microsoft checks first:
 * the account itself (gone, disabled, sessions revoked, policy), then its membership of the target
 * tenant, then that tenant's consent to our app.
 */
export function checkAccess(
  world: Pick<World, 'user' | 'identity' | 'tenant'>,
  request: AccessRequest,
): Access {
  const tenant = world.tenant(request.tenantId);
  const user = world.user(request.userId);
  const params: AadErrorParams = {
    clientId: request.clientId,
    appName: request.appName,
    tenant: tenant?.defaultDomain ?? request.tenantId,
    tenantName: tenant?.displayName ?? request.tenantId,
    ...(user ? { upn: user.upn, homeTenantId: user.homeTenantId } : {}),
  };
  if (!user || !tenant) return { ok: false, code: 50034, params };
  if (user.disabled) return { ok: false, code: 50057, params };
  if (request.grantIssuedAt && user.tokensValidAfter) {
    const validFrom = new Date(user.tokensValidAfter);
    if (request.grantIssuedAt.getTime() < validFrom.getTime()) {
      return {
        ok: false,
        code: 50173,
        params: {
          ...params,
          issuedAt: request.grantIssuedAt.toISOString(),
          validFrom: validFrom.toISOString(),
        },
      };
    }
  }
  if (request.applyRefreshKnob && user.refreshError !== null && user.refreshError !== undefined) {
    return { ok: false, code: user.refreshError, params };
  }
  const identity = world.identity(user.id, tenant.id);
  if (!identity || identity.removed) return { ok: false, code: 50020, params };
  if (tenant.userConsentBlocked && !tenant.adminConsentGranted) return { ok: false, code: 65001, params };
  return { ok: true, user, identity, tenant };
}
