import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLE_DEFINITIONS, BUILTIN_ROLES } from '../world/builtin-roles.ts';
import { roleAssignmentResponse, roleDefinitionResponse } from './authorization-shapes.ts';

const SUB = '5f0c8a2e-1111-4d2b-9a6e-fab000000011';

describe('Microsoft.Authorization response shapes', () => {
  it('shapes an assignment like the spec example, role definition in subscription form', () => {
    const body = roleAssignmentResponse(
      {
        id: 'a551a000-0000-4000-8000-000000000001',
        tenantId: 't',
        scope: `/subscriptions/${SUB}/resourceGroups/rg`,
        roleDefinitionId: BUILTIN_ROLES.reader,
        principalId: 'p',
        principalType: 'User',
        createdOn: '2026-01-01T09:00:00.000Z',
      },
      SUB,
    );
    expect(Object.keys(body)).toEqual(['properties', 'id', 'type', 'name']);
    expect(body.id).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a551a000-0000-4000-8000-000000000001`,
    );
    expect(body.properties.roleDefinitionId).toBe(
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES.reader}`,
    );
    expect(body.properties.createdOn).toBe('2026-01-01T09:00:00.0000000Z');
    expect(body.properties.condition).toBeNull();
  });

  it('puts the role type under properties.type and the ID in tenant form when no subscription', () => {
    const contributor = BUILTIN_ROLE_DEFINITIONS.find((r) => r.id === BUILTIN_ROLES.contributor)!;
    const body = roleDefinitionResponse(contributor, undefined, ['/']);
    expect(body.properties.type).toBe('BuiltInRole');
    expect(body.properties.roleName).toBe('Contributor');
    expect(body.id).toBe(`/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES.contributor}`);
    expect(body.properties.permissions[0]?.actions).toEqual(['*']);
  });
});
