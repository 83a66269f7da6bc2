import type { Router } from 'express';
import { z } from 'zod';
import { badRequest, notFound } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import type { SandboxContext } from '../context.ts';
import type { SandboxUser } from '../world/model.ts';
import { tenantOr404, userOr404 } from './resolve.ts';

const refreshErrorBody = z.object({ code: z.number().int().positive().nullable() }).strict();
const appRolesBody = z.object({ roles: z.array(z.string().min(1).max(100)).max(20) }).strict();
const consentBody = z
  .object({ userConsentBlocked: z.boolean().optional(), adminConsentGranted: z.boolean().optional() })
  .strict();

/**
 * People and directories: what makes an account stop working (disabled, sessions revoked, a
 * refresh error such as MFA required, removed as a guest) and a tenant's consent policy.
 */
export function registerPeopleRoutes(router: Router, context: SandboxContext): void {
  const { world, clock } = context;
  const userChange = (upn: string, mutate: (user: SandboxUser) => void) => {
    const user = userOr404(world, upn);
    world.change(() => mutate(user));
    return user;
  };

  router.post('/users/:upn/disable', (req, res) => {
    res.json(userChange(req.params.upn, (u) => (u.disabled = true)));
  });
  router.post('/users/:upn/enable', (req, res) => {
    res.json(userChange(req.params.upn, (u) => (u.disabled = false)));
  });
  // Refresh tokens issued before now are refused from here on (AADSTS50173 at the token endpoint).
  router.post('/users/:upn/revoke-sessions', (req, res) => {
    const at = clock.now().toISOString();
    res.json(userChange(req.params.upn, (u) => (u.tokensValidAfter = at)));
  });
  router.put('/users/:upn/refresh-error', (req, res) => {
    const { code } = validate(refreshErrorBody, req.body, 'body');
    res.json(userChange(req.params.upn, (u) => (u.refreshError = code)));
  });

  // App roles in the partner's tenant, e.g. `PAL.Admin` to let someone into the console without ADMIN_EMAILS.
  router.put('/users/:upn/app-roles', (req, res) => {
    const { roles } = validate(appRolesBody, req.body, 'body');
    res.json(userChange(req.params.upn, (u) => (u.appRoles = [...new Set(roles)])));
  });

  const guestChange = (tenantKey: string, upn: string, removed: boolean) => {
    const tenant = tenantOr404(world, tenantKey);
    const user = userOr404(world, upn);
    const identity = world.identity(user.id, tenant.id);
    if (!identity) throw notFound(`${user.upn} has no identity in tenant ${tenant.displayName}`);
    if (identity.kind !== 'guest') {
      throw badRequest(
        `${user.upn} is a member of ${tenant.displayName}, not a guest; disable the user instead`,
      );
    }
    world.change(() => (identity.removed = removed));
    return { ...identity, upn: user.upn, tenant: tenant.displayName };
  };
  router.post('/tenants/:tenant/guests/:upn/remove', (req, res) => {
    res.json(guestChange(req.params.tenant, req.params.upn, true));
  });
  router.post('/tenants/:tenant/guests/:upn/restore', (req, res) => {
    res.json(guestChange(req.params.tenant, req.params.upn, false));
  });

  router.put('/tenants/:tenant/consent', (req, res) => {
    const body = validate(consentBody, req.body, 'body');
    const tenant = tenantOr404(world, req.params.tenant);
    world.change(() => Object.assign(tenant, body));
    res.json(tenant);
  });
}
