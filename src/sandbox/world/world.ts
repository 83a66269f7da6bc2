import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type {
  SandboxGroup,
  SandboxKnobs,
  SandboxRoleAssignment,
  SandboxRoleDefinition,
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
  const lower = (s: string) => s.toLowerCase();
  return {
    state,
    tenant: (idOrDomain) =>
      state.tenants.find(
        (t) => lower(t.id) === lower(idOrDomain) || lower(t.defaultDomain) === lower(idOrDomain),
      ),
    user: (id) => state.users.find((u) => u.id === id),
    userByUpn: (upn) => state.users.find((u) => lower(u.upn) === lower(upn)),
    identity: (userId, tenantId) =>
      state.identities.find((i) => i.userId === userId && lower(i.tenantId) === lower(tenantId)),
    identityByObjectId: (tenantId, objectId) =>
      state.identities.find(
        (i) => lower(i.tenantId) === lower(tenantId) && lower(i.objectId) === lower(objectId),
      ),
    identitiesOf: (userId) => state.identities.filter((i) => i.userId === userId),
    principalIdsFor(tenantId, objectId) {
      const ids = new Set([objectId]);
      // Walk up the group graph until nothing new is found (nested groups, cycles tolerated).
      let grew = true;
      while (grew) {
        grew = false;
        for (const group of state.groups) {
          if (group.tenantId !== tenantId || ids.has(group.id)) continue;
          if (group.memberIds.some((member) => ids.has(member))) {
            ids.add(group.id);
            grew = true;
          }
        }
      }
      return ids;
    },
    roleDefinition: (id, tenantId) =>
      state.roleDefinitions.find(
        (r) => lower(r.id) === lower(id) && (r.tenantId === null || r.tenantId === tenantId),
      ),
    group: (tenantId, id) => state.groups.find((g) => g.tenantId === tenantId && g.id === id),
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
