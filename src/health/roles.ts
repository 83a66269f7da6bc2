import type { RoleDefinitionInfo } from '../azure/resource-manager.ts';

/**
 * Which role assignments earn partner incentives (DESIGN §6, azure-facts §2). Built-in roles are
 * decided by their GUID from Microsoft's published list; anything else is inferred from what its
 * permissions still allow after `notActions`, and says so (`inferred: true`).
 */
export interface RoleClassification {
  roleName: string;
  eligible: boolean;
  inferred: boolean;
}

/** Built-in roles whose eligibility Microsoft states. Add a row to extend; keys are lower-case GUIDs. */
export const BUILTIN_ROLE_TABLE: Record<string, { roleName: string; eligible: boolean }> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { roleName: 'Owner', eligible: true },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': { roleName: 'Contributor', eligible: true },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { roleName: 'Reader', eligible: false },
  // Attribution, but no Partner Earned Credit (seed article).
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': { roleName: 'User Access Administrator', eligible: false },
  'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e': { roleName: 'Support Request Contributor', eligible: false },
  // Read-only, yet on Microsoft's PEC list: inference from its actions would get it wrong.
  '7f951dda-4ed3-4680-a7ca-43fe172d538d': { roleName: 'AcrPull', eligible: true },
};

/** `/subscriptions/…/roleDefinitions/{guid}` and `/providers/…/roleDefinitions/{guid}` name the same role. */
export function roleGuid(roleDefinitionId: string): string {
  const last = roleDefinitionId.split('/').filter(Boolean).pop() ?? roleDefinitionId;
  return last.toLowerCase();
}

export function builtInRole(roleDefinitionId: string): RoleClassification | undefined {
  const known = BUILTIN_ROLE_TABLE[roleGuid(roleDefinitionId)];
  return known ? { ...known, inferred: false } : undefined;
}

/** A role not in the table, judged by its permissions. A missing definition grants nothing. */
export function classifyDefinition(definition: RoleDefinitionInfo | null): RoleClassification {
  if (!definition)
    return { roleName: 'Unknown role (definition not found)', eligible: false, inferred: true };
  const known = builtInRole(definition.id);
  if (known) return known;
  return {
    roleName: definition.roleName || roleGuid(definition.id),
    eligible: definition.permissions.some((p) => allowsChanges(p.actions, p.notActions)),
    inferred: true,
  };
}

const CHANGE_VERBS = ['write', 'delete', 'action'] as const;
/** Stands in for "any resource type": no real namespace or notAction names it. */
const PROBE = 'pal-probe';

/**
 * Whether `actions − notActions` (one permission block) still allows some write, delete or action
 * operation. For each action pattern we build the operations it allows that end in a change verb —
 * its own text when concrete, else its wildcards filled with a probe segment — and look for one no
 * notAction matches. So `*` minus `Microsoft.Authorization/*\/Write` keeps `pal-probe/write`, while
 * `*` minus `*\/write`, `*\/delete`, `*\/action` keeps nothing.
 */
export function allowsChanges(actions: string[], notActions: string[]): boolean {
  const excluded = notActions.map(globMatcher);
  return actions.some((action) =>
    witnesses(action).some((operation) => !excluded.some((matches) => matches(operation))),
  );
}

/** Operations matched by `pattern` that change something (end in /write, /delete or /action). */
function witnesses(pattern: string): string[] {
  const found: string[] = [];
  for (const verb of CHANGE_VERBS) {
    // Every wildcard a probe segment: `Microsoft.Storage/*/write` → `Microsoft.Storage/pal-probe/write`.
    found.push(pattern.replaceAll('*', PROBE));
    // A trailing wildcard can also swallow the verb: `Microsoft.Compute/*` → `…/pal-probe/write`.
    if (pattern.endsWith('*')) found.push(`${pattern.slice(0, -1).replaceAll('*', PROBE)}${PROBE}/${verb}`);
  }
  return [...new Set(found)].filter((operation) => isChange(operation) && globMatcher(pattern)(operation));
}

function isChange(operation: string): boolean {
  const verb = operation.split('/').pop()?.toLowerCase();
  return CHANGE_VERBS.some((v) => v === verb);
}

/** ARM's action patterns: case-insensitive, `*` matches any run of characters, slashes included. */
export function globMatcher(pattern: string): (operation: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 'i');
  return (operation) => regex.test(operation);
}
