import type { KnownPartnerId, SandboxPartnerLink, WorldState } from '../world/model.ts';

/**
 * Partner Admin Link rules, kept free of HTTP so the control API can set links the same way and
 * the decisions can be tested on their own.
 */

export interface LinkSubject {
  tenantId: string;
  objectId: string;
}

export const isActive = (link: SandboxPartnerLink | undefined): link is SandboxPartnerLink =>
  link?.state === 'Active';

export type PutDecision = 'invalid' | 'unchanged' | 'conflict' | 'write';

/**
 * PUT: an unknown ID is refused first. With no link (or a Deleted one) the link is (re)created.
 * A PUT of the ID already linked answers the link as it is, without a new version: the call is
 * idempotent, so a retried PUT does not inflate the version. A PUT of a *different* ID over an
 * active link is not documented (409 or replace?); the sandbox answers 409 so a caller that relies
 * on either is caught. The production code never does this: it PATCHes to change the ID.
 */
export function decidePut(
  link: SandboxPartnerLink | undefined,
  partnerId: string,
  known: boolean,
): PutDecision {
  if (!known) return 'invalid';
  if (!isActive(link)) return 'write';
  return link.partnerId === partnerId ? 'unchanged' : 'conflict';
}

export type PatchDecision = 'not-found' | 'invalid' | 'write';

/**
 * PATCH: with no active link the answer is 404 even for an unknown ID — the 2021 recording of a
 * PATCH to 123456 (an ID the service refused on PUT) came back 404, so the link is checked first.
 * Otherwise it re-points the link; a PATCH to the same ID still writes a new version.
 */
export function decidePatch(link: SandboxPartnerLink | undefined, known: boolean): PatchDecision {
  if (!isActive(link)) return 'not-found';
  return known ? 'write' : 'invalid';
}

/**
 * Points the identity's link at `partnerId`: a new link starts at etag/version 1; an existing one
 * (Active or Deleted) goes up by one and keeps its createdTime, as the recordings show.
 */
export function writeLink(
  state: WorldState,
  existing: SandboxPartnerLink | undefined,
  subject: LinkSubject,
  partnerId: string,
  now: string,
): SandboxPartnerLink {
  if (!existing) {
    const link: SandboxPartnerLink = {
      tenantId: subject.tenantId,
      objectId: subject.objectId,
      partnerId,
      etag: 1,
      version: 1,
      createdTime: now,
      updatedTime: now,
      state: 'Active',
    };
    state.partnerLinks.push(link);
    return link;
  }
  existing.partnerId = partnerId;
  existing.etag += 1;
  existing.version += 1;
  existing.updatedTime = now;
  existing.state = 'Active';
  return existing;
}

/** DELETE keeps the record (Deleted, one version up) so a later PUT keeps the createdTime. */
export function deleteLink(link: SandboxPartnerLink | undefined, now: string): boolean {
  if (!isActive(link)) return false;
  link.state = 'Deleted';
  link.etag += 1;
  link.version += 1;
  link.updatedTime = now;
  return true;
}

export function partnerNameOf(known: KnownPartnerId[], partnerId: string): string | undefined {
  return known.find((k) => k.partnerId === partnerId)?.partnerName || undefined;
}

/**
 * The `PartnerResponse` body in the live service's key order. `partnerName` follows `partnerId`
 * when the service knows the name (newer responses) and is absent otherwise (older recordings).
 */
export function partnerResponse(link: SandboxPartnerLink, partnerName: string | undefined) {
  return {
    id: `/providers/microsoft.managementpartner/partners/${link.partnerId}`,
    type: 'Microsoft.ManagementPartner/partners',
    name: link.partnerId,
    etag: link.etag,
    properties: {
      partnerId: link.partnerId,
      ...(partnerName ? { partnerName } : {}),
      tenantId: link.tenantId,
      objectId: link.objectId,
      version: link.version,
      updatedTime: link.updatedTime,
      createdTime: link.createdTime,
      state: link.state,
    },
  };
}
