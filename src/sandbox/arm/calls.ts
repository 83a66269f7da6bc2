/** One answered Resource Manager call, as the counter sees it. */
export interface ArmCall {
  operation: string;
  /** The caller's tenant (token `tid`); undefined when the token was missing or refused. */
  tenantId: string | undefined;
  status: number;
  /** For role-definition reads: the definition's GUID. */
  roleDefinitionId?: string;
}

export interface ArmCallSnapshot {
  total: number;
  byOperation: Record<string, number>;
  byTenant: Record<string, number>;
  byTenantOperation: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
  /**
   * Successful role-definition reads per tenant per GUID. Only 2xx count: a retry after a 429
   * is the pipeline's doing, not a cache miss, and the benchmark checks the caller's caching.
   */
  roleDefinitionFetches: Record<string, Record<string, number>>;
}

export interface ArmCallCounter {
  record(call: ArmCall): void;
  snapshot(): ArmCallSnapshot;
  reset(): void;
}

const ANONYMOUS = '(no valid token)';

/**
 * Counts every call the simulated Resource Manager answers, so benchmarks can check "ARM calls
 * per association" and "role definitions fetched once per ID per tenant" from the outside.
 */
export function createArmCallCounter(): ArmCallCounter {
  let counts = empty();
  const bump = (record: Record<string, number>, key: string) => {
    record[key] = (record[key] ?? 0) + 1;
  };
  const bumpIn = (records: Record<string, Record<string, number>>, outer: string, key: string) => {
    const record = records[outer] ?? {};
    records[outer] = record;
    bump(record, key);
  };
  return {
    record(call) {
      const tenant = call.tenantId?.toLowerCase() ?? ANONYMOUS;
      counts.total += 1;
      bump(counts.byOperation, call.operation);
      bump(counts.byTenant, tenant);
      bumpIn(counts.byTenantOperation, tenant, call.operation);
      bump(counts.byStatus, String(call.status));
      if (call.roleDefinitionId && call.status >= 200 && call.status < 300) {
        bumpIn(counts.roleDefinitionFetches, tenant, call.roleDefinitionId.toLowerCase());
      }
    },
    snapshot: () => structuredClone(counts),
    reset() {
      counts = empty();
    },
  };
}

function empty(): ArmCallSnapshot {
  return {
    total: 0,
    byOperation: {},
    byTenant: {},
    byTenantOperation: {},
    byStatus: {},
    roleDefinitionFetches: {},
  };
}
