import { describe, expect, it } from 'vitest';
import { SEED, seedWorld } from '../world/seed.ts';
import { createWorld } from '../world/world.ts';
import { checkAccess, signInChoices } from './accounts.ts';
import { resolveAuthority } from './authority.ts';

const PARTNER = { tenantId: '7a1f3c52-0d4e-4b8a-9c61-2f5e8d3b4a10', name: 'Contoso', locationIds: ['1'] };
const freshWorld = () => createWorld(seedWorld(PARTNER, new Date('2026-01-01T00:00:00Z')));
const app = { clientId: 'app', appName: 'PAL Manager' };

describe('who can sign in where', () => {
  it('offers every account through organizations, each into its home tenant, the hinted one first', () => {
    const world = freshWorld();
    const choices = signInChoices(
      world.state,
      resolveAuthority(world, 'organizations')!,
      'NOOR.NOROLES@contoso.example',
    );
    expect(choices).toHaveLength(world.state.users.length);
    expect(choices[0]).toMatchObject({ hinted: true, user: { upn: 'noor.noroles@contoso.example' } });
    expect(choices.filter((c) => c.hinted)).toHaveLength(1);
    expect(choices.every((c) => c.tenantId === PARTNER.tenantId && c.objectId === c.user.id)).toBe(true);
  });

  it('offers only that tenant’s guests at a tenant authority, with their guest object IDs', () => {
    const world = freshWorld();
    const dana = world.userByUpn('dana.contributor@contoso.example')!;
    world.change(() => {
      world.identity(world.userByUpn('riley.reader@contoso.example')!.id, SEED.tenants.fabrikam)!.removed =
        true;
    });
    const choices = signInChoices(world.state, resolveAuthority(world, 'fabrikam.example')!);
    const upns = choices.map((c) => c.user.upn);
    expect(upns).toContain(dana.upn);
    expect(upns).not.toContain('riley.reader@contoso.example');
    expect(upns).not.toContain('sam.disabled@contoso.example');
    const danaChoice = choices.find((c) => c.user.id === dana.id)!;
    expect(danaChoice).toMatchObject({ guest: true, tenantId: SEED.tenants.fabrikam });
    expect(danaChoice.objectId).toBe(world.identity(dana.id, SEED.tenants.fabrikam)!.objectId);
  });
});

describe('access checks', () => {
  const check = (world: ReturnType<typeof freshWorld>, upn: string, tenantId: string, extra = {}) =>
    checkAccess(world, { userId: world.userByUpn(upn)?.id ?? 'gone', tenantId, ...app, ...extra });

  it('let a guest into a tenant where they have an identity, as that identity', () => {
    const world = freshWorld();
    const access = check(world, 'dana.contributor@contoso.example', SEED.tenants.northwind);
    expect(access.ok && access.identity.kind).toBe('guest');
  });

  it('check the account before the tenant: disabled beats not-in-tenant and consent', () => {
    const world = freshWorld();
    world.change(() => {
      world.userByUpn('taylor.tailspin@contoso.example')!.disabled = true;
    });
    expect(check(world, 'taylor.tailspin@contoso.example', SEED.tenants.tailspin)).toMatchObject({
      ok: false,
      code: 50057,
    });
  });

  it('refuse a grant older than the revocation, with both instants in the message', () => {
    const world = freshWorld();
    world.change(() => {
      world.userByUpn('dana.contributor@contoso.example')!.tokensValidAfter = '2026-02-01T00:00:00.000Z';
    });
    const before = check(world, 'dana.contributor@contoso.example', PARTNER.tenantId, {
      grantIssuedAt: new Date('2026-01-31T23:59:59.999Z'),
    });
    expect(before).toMatchObject({
      ok: false,
      code: 50173,
      params: { validFrom: '2026-02-01T00:00:00.000Z' },
    });
    const after = check(world, 'dana.contributor@contoso.example', PARTNER.tenantId, {
      grantIssuedAt: new Date('2026-02-01T00:00:00.000Z'),
    });
    expect(after.ok).toBe(true);
  });

  it('apply the refresh knob only when asked to', () => {
    const world = freshWorld();
    world.change(() => {
      world.userByUpn('morgan.mfa@contoso.example')!.refreshError = 50076;
    });
    expect(check(world, 'morgan.mfa@contoso.example', SEED.tenants.northwind).ok).toBe(true);
    expect(
      check(world, 'morgan.mfa@contoso.example', SEED.tenants.northwind, { applyRefreshKnob: true }),
    ).toMatchObject({ ok: false, code: 50076 });
  });

  it('answer 50034 for a missing account, 50020 outside the tenant, 65001 where consent is blocked', () => {
    const world = freshWorld();
    expect(check(world, 'nobody@contoso.example', PARTNER.tenantId)).toMatchObject({ code: 50034 });
    expect(check(world, 'noor.noroles@contoso.example', SEED.tenants.northwind)).toMatchObject({
      code: 50020,
    });
    expect(check(world, 'taylor.tailspin@contoso.example', SEED.tenants.tailspin)).toMatchObject({
      code: 65001,
    });
  });
});
