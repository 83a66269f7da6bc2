import { describe, expect, it } from 'vitest';
import type { SandboxPartnerLink, WorldState } from '../world/model.ts';
import { decidePatch, decidePut, deleteLink, partnerResponse, writeLink } from './partner-links.ts';

const who = { tenantId: 't', objectId: 'o' };
const link = (over: Partial<SandboxPartnerLink> = {}): SandboxPartnerLink => ({
  ...who,
  partnerId: '123456',
  etag: 5,
  version: 5,
  createdTime: 'created',
  updatedTime: 'updated',
  state: 'Active',
  ...over,
});

describe('PAL decisions', () => {
  it('PUT: refuses unknown IDs, writes over no link or a Deleted one, is idempotent, 409s another ID', () => {
    expect(decidePut(undefined, '1', false)).toBe('invalid');
    expect(decidePut(undefined, '1', true)).toBe('write');
    expect(decidePut(link({ state: 'Deleted' }), '999', true)).toBe('write');
    expect(decidePut(link(), '123456', true)).toBe('unchanged');
    expect(decidePut(link(), '999', true)).toBe('conflict');
  });

  it('PATCH: 404 without an active link comes before the ID check', () => {
    expect(decidePatch(undefined, false)).toBe('not-found');
    expect(decidePatch(link({ state: 'Deleted' }), true)).toBe('not-found');
    expect(decidePatch(link(), false)).toBe('invalid');
    expect(decidePatch(link(), true)).toBe('write');
  });
});

describe('PAL writes', () => {
  const emptyState = () => ({ partnerLinks: [] as SandboxPartnerLink[] }) as unknown as WorldState;

  it('a first link starts at version 1 with both times now', () => {
    const state = emptyState();
    const created = writeLink(state, undefined, who, '42', 'now');
    expect(created).toMatchObject({
      partnerId: '42',
      etag: 1,
      version: 1,
      createdTime: 'now',
      updatedTime: 'now',
    });
    expect(state.partnerLinks).toEqual([created]);
  });

  it('delete then PUT bumps the version each time and keeps the createdTime', () => {
    const state = emptyState();
    const existing = link();
    expect(deleteLink(existing, 'later')).toBe(true);
    expect(existing).toMatchObject({ state: 'Deleted', etag: 6, version: 6 });
    expect(deleteLink(existing, 'again')).toBe(false);
    writeLink(state, existing, who, '777', 'latest');
    expect(existing).toMatchObject({
      state: 'Active',
      partnerId: '777',
      etag: 7,
      version: 7,
      createdTime: 'created',
      updatedTime: 'latest',
    });
  });

  it('puts partnerName right after partnerId only when the name is known', () => {
    expect(Object.keys(partnerResponse(link(), 'Contoso').properties).slice(0, 3)).toEqual([
      'partnerId',
      'partnerName',
      'tenantId',
    ]);
    expect(partnerResponse(link(), undefined).properties).not.toHaveProperty('partnerName');
  });
});
