import { describe, expect, it } from 'vitest';
import { createArmCallCounter } from './calls.ts';

describe('ARM call counter', () => {
  it('counts calls by operation, tenant and status', () => {
    const counter = createArmCallCounter();
    counter.record({ operation: 'partners.get', tenantId: 'T1', status: 200 });
    counter.record({ operation: 'partners.get', tenantId: 't1', status: 429 });
    counter.record({ operation: 'tenants.list', tenantId: undefined, status: 401 });
    const snapshot = counter.snapshot();
    expect(snapshot.total).toBe(3);
    expect(snapshot.byOperation).toEqual({ 'partners.get': 2, 'tenants.list': 1 });
    expect(snapshot.byTenant).toEqual({ t1: 2, '(no valid token)': 1 });
    expect(snapshot.byTenantOperation.t1).toEqual({ 'partners.get': 2 });
    expect(snapshot.byStatus).toEqual({ '200': 1, '429': 1, '401': 1 });
  });

  it('counts only successful role-definition reads per tenant and GUID', () => {
    const counter = createArmCallCounter();
    const read = { operation: 'roleDefinitions.get', tenantId: 't1', roleDefinitionId: 'ABC' };
    counter.record({ ...read, status: 429 });
    counter.record({ ...read, status: 200 });
    expect(counter.snapshot().roleDefinitionFetches).toEqual({ t1: { abc: 1 } });
  });

  it('starts again from zero after a reset, and snapshots are copies', () => {
    const counter = createArmCallCounter();
    counter.record({ operation: 'x', tenantId: 't', status: 200 });
    const before = counter.snapshot();
    counter.reset();
    expect(counter.snapshot().total).toBe(0);
    expect(before.total).toBe(1);
  });
});
