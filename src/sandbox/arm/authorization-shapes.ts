import type { SandboxRoleAssignment, SandboxRoleDefinition } from '../world/model.ts';
import { toArmTime } from './time.ts';

const AUTHZ = 'providers/Microsoft.Authorization';

/** A role definition ID in subscription form, as ARM returns it from subscription-scope calls. */
export function roleDefinitionPath(guid: string, subscriptionId: string | undefined): string {
  const prefix = subscriptionId ? `/subscriptions/${subscriptionId}` : '';
  return `${prefix}/${AUTHZ}/roleDefinitions/${guid}`;
}

/** A `RoleAssignment` (api-version 2022-04-01) in the live service's field order. */
export function roleAssignmentResponse(assignment: SandboxRoleAssignment, subscriptionId: string) {
  const at = toArmTime(assignment.createdOn);
  const by = assignment.createdBy ?? null;
  return {
    properties: {
      roleDefinitionId: roleDefinitionPath(assignment.roleDefinitionId, subscriptionId),
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      condition: null,
      conditionVersion: null,
      createdOn: at,
      updatedOn: at,
      createdBy: by,
      updatedBy: by,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    id: `${assignment.scope}/${AUTHZ}/roleAssignments/${assignment.id}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: assignment.id,
  };
}

// Built-in roles carry Microsoft's own dates; the sandbox's custom roles one fixed date.
const BUILT_IN_TIMES = {
  createdOn: '2015-02-02T21:55:09.8806423Z',
  updatedOn: '2024-04-25T15:04:16.9137282Z',
};
const CUSTOM_TIMES = { createdOn: '2025-01-15T10:00:00.0000000Z', updatedOn: '2025-01-15T10:00:00.0000000Z' };

/**
 * A `RoleDefinition`. The SDK maps `properties.type` to `roleType`; `id` is in subscription form
 * for subscription-scope reads and tenant form for `/providers/...` reads.
 */
export function roleDefinitionResponse(
  definition: SandboxRoleDefinition,
  subscriptionId: string | undefined,
  assignableScopes: string[],
) {
  const times = definition.roleType === 'BuiltInRole' ? BUILT_IN_TIMES : CUSTOM_TIMES;
  return {
    properties: {
      roleName: definition.roleName,
      type: definition.roleType,
      description: definition.description,
      assignableScopes,
      permissions: definition.permissions.map((p) => ({
        actions: p.actions,
        notActions: p.notActions,
        dataActions: p.dataActions,
        notDataActions: p.notDataActions,
      })),
      ...times,
      createdBy: null,
      updatedBy: null,
    },
    id: roleDefinitionPath(definition.id, subscriptionId),
    type: 'Microsoft.Authorization/roleDefinitions',
    name: definition.id,
  };
}
