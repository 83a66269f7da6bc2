/** The parts of a verdict's evidence an admin reads, in sentences (never a token; only names and codes). */
export interface EvidenceSummary {
  roles: { name: string; scope: string; eligible: boolean; inferred: boolean }[];
  subscriptions: number | null;
  /** The partner ID found on the link, when it is not the expected one. */
  foundPartnerId: string | null;
  expectedPartnerId: string | null;
  error: string | null;
  /** When the verdict is an older one kept because the latest check failed. */
  staleBecause: string | null;
}

interface RawEvidence {
  partnerId?: unknown;
  expectedPartnerId?: unknown;
  subscriptions?: unknown;
  roles?: unknown;
  errorCode?: unknown;
  message?: unknown;
  lastFailure?: { errorCode?: unknown; message?: unknown };
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** `/subscriptions/…/resourceGroups/rg-shared` → `resource group rg-shared`: what an admin recognises. */
export function describeScope(scope: string): string {
  const group = /\/resourceGroups\/([^/]+)/i.exec(scope)?.[1];
  if (group) return `resource group ${group}`;
  const subscription = /^\/subscriptions\/([^/]+)$/i.exec(scope)?.[1];
  if (subscription) return `subscription ${subscription}`;
  return scope || '?';
}

export function summariseEvidence(json: string | null): EvidenceSummary {
  let raw: RawEvidence = {};
  try {
    const parsed = json ? (JSON.parse(json) as unknown) : null;
    if (parsed && typeof parsed === 'object') raw = parsed as RawEvidence;
  } catch {
    // Unreadable evidence shows as none rather than breaking the page.
  }
  const roles = Array.isArray(raw.roles)
    ? raw.roles.map((role: Record<string, unknown>) => ({
        name: text(role.roleName) ?? 'unknown role',
        scope: describeScope(text(role.scope) ?? ''),
        eligible: role.eligible === true,
        inferred: role.inferred === true,
      }))
    : [];
  const found = text(raw.partnerId);
  const expected = text(raw.expectedPartnerId);
  const error = text(raw.errorCode) ?? null;
  const lastFailure = raw.lastFailure ? (text(raw.lastFailure.errorCode) ?? 'an error') : null;
  return {
    roles,
    subscriptions: typeof raw.subscriptions === 'number' ? raw.subscriptions : null,
    foundPartnerId: found !== null && found !== expected ? found : null,
    expectedPartnerId: expected,
    error: error && !lastFailure ? `${error}${text(raw.message) ? `: ${text(raw.message)}` : ''}` : error,
    staleBecause: lastFailure,
  };
}
