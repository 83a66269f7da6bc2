import { describe, expect, it } from 'vitest';
import type { RoleDefinitionInfo } from '../azure/resource-manager.ts';
import { allowsChanges, builtInRole, classifyDefinition, globMatcher, roleGuid } from './roles.ts';

const custom = (actions: string[], notActions: string[] = []): RoleDefinitionInfo => ({
  id: '/subscriptions/5f0c8a2e-1111-4d2b-9a6e-fab000000011/providers/Microsoft.Authorization/roleDefinitions/c0ffee00-0000-4000-8000-fab0000000c1',
  roleName: 'Custom',
  roleType: 'CustomRole',
  permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
});

describe('built-in roles by GUID', () => {
  it('knows Owner and Contributor as eligible, in tenant or subscription form', () => {
    expect(
      builtInRole('/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635'),
    ).toEqual({
      roleName: 'Owner',
      eligible: true,
      inferred: false,
    });
    expect(
      builtInRole(
        '/subscriptions/6a1d9b3f-3333-4e3c-8b7f-0de000000033/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C',
      ),
    ).toMatchObject({ roleName: 'Contributor', eligible: true });
  });

  it('flags Reader, User Access Administrator and Support Request Contributor as not eligible', () => {
    for (const guid of [
      'acdd72a7-3385-48ef-bd42-f606fba81ae7',
      '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
      'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e',
    ]) {
      expect(builtInRole(guid)?.eligible).toBe(false);
    }
  });

  it('prefers the table to the permissions: UAA’s Microsoft.Authorization/* would otherwise look eligible', () => {
    const uaa = {
      ...custom(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']),
      id: '/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
      roleName: 'User Access Administrator',
    };
    expect(classifyDefinition(uaa)).toEqual({
      roleName: 'User Access Administrator',
      eligible: false,
      inferred: false,
    });
  });

  it('compares role IDs on the trailing GUID', () => {
    expect(
      roleGuid('/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7/'),
    ).toBe('acdd72a7-3385-48ef-bd42-f606fba81ae7');
  });
});

describe('custom roles, inferred from actions − notActions', () => {
  it('counts a write reached through a wildcard', () => {
    expect(classifyDefinition(custom(['Microsoft.Compute/virtualMachines/*', '*/read']))).toEqual({
      roleName: 'Custom',
      eligible: true,
      inferred: true,
    });
  });

  it('sees a role whose notActions take back every write, delete and action as read-only', () => {
    const auditor = custom(['*'], ['*/write', '*/delete', '*/action']);
    expect(classifyDefinition(auditor)).toMatchObject({ eligible: false, inferred: true });
  });

  it('keeps a Contributor-like role eligible: * minus Microsoft.Authorization writes still writes elsewhere', () => {
    expect(
      allowsChanges(
        ['*'],
        [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
        ],
      ),
    ).toBe(true);
  });

  it('keeps a role eligible when only writes and deletes are taken back (actions remain)', () => {
    expect(allowsChanges(['*'], ['*/write', '*/delete'])).toBe(true);
  });

  it('treats a Reader-like */read as read-only', () => {
    expect(allowsChanges(['*/read'], [])).toBe(false);
    expect(allowsChanges(['Microsoft.Resources/subscriptions/resourceGroups/read'], [])).toBe(false);
  });

  it('counts a concrete write, delete or action unless a notAction matches it', () => {
    expect(allowsChanges(['Microsoft.Compute/virtualMachines/start/action'], [])).toBe(true);
    expect(allowsChanges(['Microsoft.Storage/storageAccounts/delete'], [])).toBe(true);
    expect(
      allowsChanges(['Microsoft.Compute/virtualMachines/start/action'], ['Microsoft.Compute/*/action']),
    ).toBe(false);
  });

  it('counts a namespace wildcard, and drops it when the same namespace is taken back', () => {
    expect(allowsChanges(['Microsoft.Support/*'], [])).toBe(true);
    expect(allowsChanges(['Microsoft.Web/*'], ['Microsoft.Web/*'])).toBe(false);
    expect(allowsChanges(['Microsoft.Web/*'], ['Microsoft.Web/*/write'])).toBe(true);
  });

  it('matches notActions case-insensitively', () => {
    expect(allowsChanges(['Microsoft.Storage/*/write'], ['microsoft.storage/*/WRITE'])).toBe(false);
  });

  it('lets any permission block grant eligibility; notActions apply to their own block only', () => {
    const definition: RoleDefinitionInfo = {
      ...custom([]),
      permissions: [
        {
          actions: ['*'],
          notActions: ['*/write', '*/delete', '*/action'],
          dataActions: [],
          notDataActions: [],
        },
        { actions: ['Microsoft.Network/*/write'], notActions: [], dataActions: [], notDataActions: [] },
      ],
    };
    expect(classifyDefinition(definition).eligible).toBe(true);
  });

  it('treats a missing definition as granting nothing', () => {
    expect(classifyDefinition(null)).toMatchObject({ eligible: false, inferred: true });
  });
});

describe('ARM action patterns', () => {
  it('let * span slashes and nothing else be a wildcard', () => {
    expect(
      globMatcher('Microsoft.Authorization/*/Write')('Microsoft.Authorization/roleAssignments/write'),
    ).toBe(true);
    expect(globMatcher('Microsoft.Authorization/*/Write')('Microsoft.Authorization/a/b/write')).toBe(true);
    expect(globMatcher('Microsoft.Authorization/*/Write')('MicrosoftXAuthorization/a/write')).toBe(false);
    expect(globMatcher('*/read')('Microsoft.Compute/virtualMachines/write')).toBe(false);
  });
});
