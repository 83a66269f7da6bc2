import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  buildIndex,
  buildLinkIndex,
  indexStamp,
  linkStamp,
  lower,
  pairKey,
  sameStamp,
  type WorldIndex,
} from './indexes.ts';
import type {
  SandboxGroup,
  SandboxKnobs,
  SandboxPartnerLink,
  SandboxRoleAssignment,
  SandboxRoleDefinition,
  SandboxSubscription,
  SandboxTenant,
  SandboxUser,
  TenantIdentity,
  WorldState,
} from './model.ts';

/**
 * The sandbox's world with the questions both simulated services ask of it. State is plain data;
 * changes go through `change()`, which saves the world (when it has a file) so links and accounts
 * survive a restart of the demo.
 */
export interface World {
  readonly state: WorldState;
  tenant(idOrDomain: string): SandboxTenant | undefined;
  user(id: string): SandboxUser | undefined;
  userByUpn(upn: string): SandboxUser | undefined;
  /** The user's identity in a tenant, if they have one (removed guests included; check `removed`). */
  identity(userId: string, tenantId: string): TenantIdentity | undefined;
  identityByObjectId(tenantId: string, objectId: string): TenantIdentity | undefined;
  identitiesOf(userId: string): TenantIdentity[];
  /** The object itself and every group it belongs to, directly or through nested groups. */
  principalIdsFor(tenantId: string, objectId: string): Set<string>;
  roleDefinition(id: string, tenantId: string): SandboxRoleDefinition | undefined;
  group(tenantId: string, id: string): SandboxGroup | undefined;
  subscription(id: string): SandboxSubscription | undefined;
  subscriptionsOf(tenantId: string): SandboxSubscription[];
  /** Direct assignments of any of these principals, in every tenant and at every scope. */
  assignmentsOf(principalIds: Iterable<string>): SandboxRoleAssignment[];
  /** Assignments at or below `/subscriptions/{id}`. */
  assignmentsInSubscription(subscriptionId: string): SandboxRoleAssignment[];
  /** The identity's PAL link in a tenant, Deleted ones included. */
  partnerLink(tenantId: string, objectId: string): SandboxPartnerLink | undefined;
  /** Lookups notice arrays added to, removed from or replaced; call this after editing an ID in place. */
  reindex(): void;
  knobs(): SandboxKnobs;
  /** Applies a mutation and persists the world. */
  change<T>(mutate: (state: WorldState) => T): T;
}

export function createWorld(initial: WorldState, options: { file?: string } = {}): World {
  const state = initial;
  const save = () => {
    if (!options.file) return;
    const temp = `${options.file}.tmp`;
    writeFileSync(temp, JSON.stringify(state, null, 1));
    renameSync(temp, options.file);
  };
  // Indexes are rebuilt lazily when their stamp shows the arrays changed (see indexes.ts).
  let index: WorldIndex | undefined;
  let stamp: unknown[] = [];
  let links: Map<string, SandboxPartnerLink> | undefined;
  let linksStamp: unknown[] = [];
  const current = (): WorldIndex => {
    const now = indexStamp(state);
    if (!index || !sameStamp(now, stamp)) {
      index = buildIndex(state);
      stamp = now;
    }
    return index;
  };
  const currentLinks = () => {
    const now = linkStamp(state);
    if (!links || !sameStamp(now, linksStamp)) {
      links = buildLinkIndex(state);
      linksStamp = now;
    }
    return links;
  };
  return {
    state,
    tenant: (idOrDomain) => current().tenantByKey.get(lower(idOrDomain)),
    user: (id) => current().userById.get(id),
    userByUpn: (upn) => current().userByUpn.get(lower(upn)),
    identity: (userId, tenantId) => current().identityByUserTenant.get(pairKey(userId, lower(tenantId))),
    identityByObjectId: (tenantId, objectId) =>
      current().identityByObject.get(pairKey(lower(tenantId), lower(objectId))),
    identitiesOf: (userId) => [...(current().identitiesByUser.get(userId) ?? [])],
    principalIdsFor(tenantId, objectId) {
      const { groupsByMember } = current();
      const ids = new Set([objectId]);
      // Walk up the group graph (nested groups; a cycle stops at groups already seen).
      const queue = [objectId];
      for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
        for (const group of groupsByMember.get(pairKey(tenantId, next)) ?? []) {
          if (ids.has(group.id)) continue;
          ids.add(group.id);
          queue.push(group.id);
        }
      }
      return ids;
    },
    roleDefinition: (id, tenantId) =>
      state.roleDefinitions.find(
        (r) => lower(r.id) === lower(id) && (r.tenantId === null || r.tenantId === tenantId),
      ),
    group: (tenantId, id) => current().groupByKey.get(pairKey(tenantId, id)),
    subscription: (id) => current().subscriptionById.get(lower(id)),
    subscriptionsOf: (tenantId) => [...(current().subscriptionsByTenant.get(lower(tenantId)) ?? [])],
    assignmentsOf(principalIds) {
      const { assignmentsByPrincipal } = current();
      return [...principalIds].flatMap((id) => assignmentsByPrincipal.get(lower(id)) ?? []);
    },
    assignmentsInSubscription: (subscriptionId) => [
      ...(current().assignmentsBySubscription.get(lower(subscriptionId)) ?? []),
    ],
    partnerLink: (tenantId, objectId) => currentLinks().get(pairKey(lower(tenantId), lower(objectId))),
    reindex() {
      index = undefined;
      links = undefined;
    },
    knobs: () => state.knobs,
    change(mutate) {
      const result = mutate(state);
      save();
      return result;
    },
  };
}

/** Loads a saved world, or returns undefined when there is none (or it cannot be read). */
export function loadWorldFile(file: string): WorldState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WorldState;
  } catch {
    return undefined;
  }
}

export type { SandboxRoleAssignment };
