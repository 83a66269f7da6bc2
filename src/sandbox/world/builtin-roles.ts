import type { SandboxRoleDefinition } from './model.ts';

/** Built-in roles as Azure defines them (IDs are global and stable). */
export const BUILTIN_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  supportRequestContributor: 'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e',
} as const;

const noData = { dataActions: [], notDataActions: [] };

export const BUILTIN_ROLE_DEFINITIONS: SandboxRoleDefinition[] = [
  {
    id: BUILTIN_ROLES.owner,
    roleName: 'Owner',
    roleType: 'BuiltInRole',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: [{ actions: ['*'], notActions: [], ...noData }],
    tenantId: null,
  },
  {
    id: BUILTIN_ROLES.contributor,
    roleName: 'Contributor',
    roleType: 'BuiltInRole',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: [
      {
        actions: ['*'],
        notActions: [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
          'Microsoft.Blueprint/blueprintAssignments/write',
          'Microsoft.Blueprint/blueprintAssignments/delete',
          'Microsoft.Compute/galleries/share/action',
        ],
        ...noData,
      },
    ],
    tenantId: null,
  },
  {
    id: BUILTIN_ROLES.reader,
    roleName: 'Reader',
    roleType: 'BuiltInRole',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: [{ actions: ['*/read'], notActions: [], ...noData }],
    tenantId: null,
  },
  {
    id: BUILTIN_ROLES.userAccessAdministrator,
    roleName: 'User Access Administrator',
    roleType: 'BuiltInRole',
    description: 'Lets you manage user access to Azure resources.',
    permissions: [
      { actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'], notActions: [], ...noData },
    ],
    tenantId: null,
  },
  {
    id: BUILTIN_ROLES.supportRequestContributor,
    roleName: 'Support Request Contributor',
    roleType: 'BuiltInRole',
    description: 'Lets you create and manage Support requests',
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Support/*',
        ],
        notActions: [],
        ...noData,
      },
    ],
    tenantId: null,
  },
];
