import type { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import { deleteLink, partnerNameOf, writeLink } from '../arm/partner-links.ts';
import { armTime } from '../arm/time.ts';
import type { SandboxContext } from '../context.ts';
import type { SandboxPartnerLink, SandboxTenant } from '../world/model.ts';
import type { World } from '../world/world.ts';
import { tenantOr404, userOr404 } from './resolve.ts';

const subject = z
  .object({
    tenant: z.string().trim().min(1),
    upn: z.string().trim().min(1).optional(),
    objectId: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((s) => Boolean(s.upn) !== Boolean(s.objectId), { message: 'give exactly one of upn or objectId' });
const putBody = z
  .object({
    tenant: z.string().trim().min(1),
    upn: z.string().trim().min(1).optional(),
    objectId: z.string().trim().min(1).optional(),
    partnerId: z.string().regex(/^\d{1,12}$/, 'a partner ID is digits'),
  })
  .strict()
  .refine((s) => Boolean(s.upn) !== Boolean(s.objectId), { message: 'give exactly one of upn or objectId' });
const listQuery = z.object({ tenant: z.string().optional(), upn: z.string().optional() });

/** The identity a link belongs to: a user's object in the tenant, or an object ID given as is. */
function objectIdOf(
  world: World,
  tenant: SandboxTenant,
  s: { upn?: string | undefined; objectId?: string | undefined },
) {
  if (s.objectId) return s.objectId;
  const user = userOr404(world, s.upn ?? '');
  const identity = world.identity(user.id, tenant.id);
  if (!identity) throw notFound(`${user.upn} has no identity in tenant ${tenant.displayName}`);
  return identity.objectId;
}

/**
 * PAL links set from outside — as if the person (or another partner's tooling) had set them. Any
 * digits are accepted here, known to the ManagementPartner service or not. Versions move as the
 * service's own writes move them, and a removal leaves a Deleted link, as the service does.
 */
export function registerLinkRoutes(router: Router, context: SandboxContext): void {
  const { world, clock } = context;
  const describe = (link: SandboxPartnerLink) => {
    const identity = world.identityByObjectId(link.tenantId, link.objectId);
    const user = identity ? world.user(identity.userId) : undefined;
    return {
      ...link,
      partnerName: partnerNameOf(world.state.knownPartnerIds, link.partnerId) ?? null,
      upn: user?.upn ?? null,
      tenant: world.tenant(link.tenantId)?.displayName ?? null,
    };
  };

  router.put('/partner-links', (req, res) => {
    const body = validate(putBody, req.body, 'body');
    const tenant = tenantOr404(world, body.tenant);
    const who = { tenantId: tenant.id, objectId: objectIdOf(world, tenant, body) };
    const now = armTime(clock.now());
    const existing = world.partnerLink(who.tenantId, who.objectId);
    res.json(describe(world.change((state) => writeLink(state, existing, who, body.partnerId, now))));
  });

  router.delete('/partner-links', (req, res) => {
    const body = validate(subject, { ...req.query, ...req.body }, 'body');
    const tenant = tenantOr404(world, body.tenant);
    const link = world.partnerLink(tenant.id, objectIdOf(world, tenant, body));
    if (link?.state !== 'Active') throw notFound('That identity has no active PAL link');
    const now = armTime(clock.now());
    world.change(() => deleteLink(link, now));
    res.json(describe(link));
  });

  router.get('/partner-links', (req, res) => {
    const query = validate(listQuery, req.query, 'query');
    const tenant = query.tenant ? tenantOr404(world, query.tenant) : undefined;
    const user = query.upn ? userOr404(world, query.upn) : undefined;
    const links = world.state.partnerLinks.filter((link) => {
      if (tenant && link.tenantId.toLowerCase() !== tenant.id.toLowerCase()) return false;
      if (!user) return true;
      return world.identityByObjectId(link.tenantId, link.objectId)?.userId === user.id;
    });
    res.json({ value: links.map(describe) });
  });
}
