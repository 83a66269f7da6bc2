import { describe, expect, it } from 'vitest';
import { SEED, seedWorld } from './seed.ts';
import { createWorld } from './world.ts';

const partner = {
  tenantId: '7a1f3c52-0d4e-4b8a-9c61-2f5e8d3b4a10',
  name: 'Contoso',
  locationIds: ['4471231'],
};
const fresh = () => createWorld(seedWorld(partner, new Date('2026-01-01T09:00:00Z')));

describe('world lookups', () => {
  it('finds tenants by ID or domain and users by UPN, ignoring case', () => {
    const world = fresh();
    expect(world.tenant('FABRIKAM.example')?.id).toBe(SEED.tenants.fabrikam);
    expect(world.tenant(SEED.tenants.fabrikam.toUpperCase())?.displayName).toBe('Fabrikam');
    expect(world.userByUpn('Dana.Contributor@contoso.example')?.displayName).toBe('Dana Contributor');
  });

  it('expands nested groups for a guest', () => {
    const world = fresh();
    const dana = world.userByUpn('dana.contributor@contoso.example')!;
    const guest = world.identity(dana.id, SEED.tenants.fabrikam)!;
    const ids = world.principalIdsFor(SEED.tenants.fabrikam, guest.objectId);
    expect(ids.size).toBe(3);
    expect(world.assignmentsOf(ids).map((a) => a.principalType)).toEqual(['Group']);
  });

  it('notices additions and removals made through change(), and even without it', () => {
    const world = fresh();
    expect(world.userByUpn('new@contoso.example')).toBeUndefined();
    world.change((state) => {
      state.users.push({ ...state.users[0]!, id: 'u-new', upn: 'new@contoso.example' });
    });
    expect(world.user('u-new')?.upn).toBe('new@contoso.example');
    world.state.subscriptions.push({
      subscriptionId: 'S-1',
      tenantId: 't',
      displayName: 's',
      state: 'Enabled',
    });
    expect(world.subscription('s-1')?.displayName).toBe('s');
    world.change((state) => {
      state.roleAssignments = [];
    });
    expect(world.assignmentsInSubscription(SEED.subscriptions.northwindTraders)).toEqual([]);
  });

  it('finds PAL links by tenant and object, whatever the case', () => {
    const world = fresh();
    const olive = world.state.partnerLinks[0]!;
    expect(world.partnerLink(olive.tenantId.toUpperCase(), olive.objectId)?.partnerId).toBe('5550123');
  });
});
