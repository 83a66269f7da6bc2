import type { Response, Router } from 'express';
import type { SandboxPartnerLink } from '../world/model.ts';
import { MESSAGES, sendJson, sendPartnerError } from './errors.ts';
import {
  decidePatch,
  decidePut,
  deleteLink,
  isActive,
  type LinkSubject,
  partnerNameOf,
  partnerResponse,
  writeLink,
} from './partner-links.ts';
import { type ArmDeps, type ArmOperation, armHandler } from './pipeline.ts';
import { armTime } from './time.ts';

const PARTNERS = '/providers/Microsoft.ManagementPartner/partners';

const operation = (name: string): ArmOperation => ({
  operation: name,
  level: 'tenant',
  apiVersions: ['2018-02-01'],
  resourceType: 'partners',
});

/**
 * Microsoft.ManagementPartner: the caller's Partner Admin Link. No request body is read: the link
 * belongs to whoever the token names (`tid` + `oid`), which is the whole point of PAL.
 * Operation names follow the SDK (`partners.get`, `partner.create`, …).
 */
export function registerPartnerRoutes(router: Router, deps: ArmDeps): void {
  const { world, clock } = deps.context;
  const linkOf = (subject: LinkSubject) => world.partnerLink(subject.tenantId, subject.objectId);
  const known = (partnerId: string) => world.state.knownPartnerIds.some((k) => k.partnerId === partnerId);
  const answer = (res: Response, link: SandboxPartnerLink) =>
    sendJson(res, 200, partnerResponse(link, partnerNameOf(world.state.knownPartnerIds, link.partnerId)));
  const notLinked = (res: Response) =>
    sendPartnerError(res, 404, 'ManagementPartnerNotFound', MESSAGES.partnerNotFound);
  const invalid = (res: Response) =>
    sendPartnerError(res, 400, 'PartnerIdInvalid', MESSAGES.partnerIdInvalid);

  // The caller's current link, whatever its ID. A Deleted link reads as no link.
  router.get(
    PARTNERS,
    armHandler(deps, operation('partners.get'), (_req, res, caller) => {
      const link = linkOf(caller);
      if (isActive(link)) answer(res, link);
      else notLinked(res);
    }),
  );

  // Reading by ID fails when the caller is linked to another ID.
  router.get(
    `${PARTNERS}/:partnerId`,
    armHandler(deps, operation('partner.get'), (req, res, caller) => {
      const link = linkOf(caller);
      if (isActive(link) && link.partnerId === req.params.partnerId) answer(res, link);
      else notLinked(res);
    }),
  );

  router.put(
    `${PARTNERS}/:partnerId`,
    armHandler(deps, operation('partner.create'), (req, res, caller) => {
      const partnerId = String(req.params.partnerId);
      const link = linkOf(caller);
      const decision = decidePut(link, partnerId, known(partnerId));
      if (decision === 'invalid') return invalid(res);
      if (decision === 'conflict') {
        return sendPartnerError(
          res,
          409,
          'Conflict',
          `This user or service principal is already linked with Partner ID '${link?.partnerId}'. Use PATCH to change it.`,
        );
      }
      if (decision === 'unchanged' && link) return answer(res, link);
      const now = armTime(clock.now());
      answer(
        res,
        world.change((state) => writeLink(state, link, caller, partnerId, now)),
      );
    }),
  );

  router.patch(
    `${PARTNERS}/:partnerId`,
    armHandler(deps, operation('partner.update'), (req, res, caller) => {
      const partnerId = String(req.params.partnerId);
      const link = linkOf(caller);
      const decision = decidePatch(link, known(partnerId));
      if (decision === 'not-found') return notLinked(res);
      if (decision === 'invalid') return invalid(res);
      const now = armTime(clock.now());
      answer(
        res,
        world.change((state) => writeLink(state, link, caller, partnerId, now)),
      );
    }),
  );

  // 200 with an empty body, linked or not. The caller's link goes whatever ID the path names:
  // the link belongs to the caller, and the SDK's delete(partnerId) is used with the linked ID.
  router.delete(
    `${PARTNERS}/:partnerId`,
    armHandler(deps, operation('partner.delete'), (_req, res, caller) => {
      const link = linkOf(caller);
      if (isActive(link)) {
        const now = armTime(clock.now());
        world.change(() => deleteLink(link, now));
      }
      res.status(200).end();
    }),
  );
}
