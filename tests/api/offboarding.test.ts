import { afterEach, describe, expect, it } from 'vitest';
import { apiTestApp, insertAssociation, insertInvitation } from './support.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function withConsultant() {
  const built = await apiTestApp();
  close = built.close;
  const consultant = (await built.api.post('/api/consultants', { email: 'ada@contoso.example' })).body;
  return { ...built, id: consultant.id as string };
}

const FABRIKAM = '3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

describe('editing a consultant', () => {
  it('changes only the fields given and stamps updatedAt', async () => {
    const { api, clock, id } = await withConsultant();
    clock.advance(60_000);
    const res = await api.patch(`/api/consultants/${id}`, {
      displayName: 'Ada Lovelace',
      locationId: '4471232',
      customerTenants: [FABRIKAM],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email: 'ada@contoso.example',
      displayName: 'Ada Lovelace',
      locationId: '4471232',
      locationLabel: 'Contoso Germany',
      customerTenants: [FABRIKAM],
      createdAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:01:00.000Z',
    });
    expect((await api.get(`/api/consultants/${id}`)).body.displayName).toBe('Ada Lovelace');
  });

  it('changes the email, refusing one another consultant already has', async () => {
    const { api, id } = await withConsultant();
    const other = (await api.post('/api/consultants', { email: 'bo@contoso.example' })).body;
    const taken = await api.patch(`/api/consultants/${id}`, { email: 'BO@contoso.example' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual({ existingId: other.id });
    const moved = await api.patch(`/api/consultants/${id}`, { email: 'ada.l@contoso.example' });
    expect(moved.status).toBe(200);
    expect(moved.body.email).toBe('ada.l@contoso.example');
  });

  it('applies the same rules as adding: no global ID, no bad tenant, no empty change', async () => {
    const { api, id } = await withConsultant();
    expect((await api.patch(`/api/consultants/${id}`, { locationId: '4471230' })).status).toBe(400);
    expect((await api.patch(`/api/consultants/${id}`, { customerTenants: ['contoso.com'] })).status).toBe(
      400,
    );
    const empty = await api.patch(`/api/consultants/${id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/give at least one of/);
  });

  it('is 404 for an unknown consultant and 409 for an offboarded one', async () => {
    const { api, id } = await withConsultant();
    expect(
      (await api.patch('/api/consultants/0f8fad5b-d9cb-469f-a165-70867728950e', { displayName: 'x' })).status,
    ).toBe(404);
    await api.delete(`/api/consultants/${id}`);
    const res = await api.patch(`/api/consultants/${id}`, { displayName: 'x' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/is offboarded/);
  });

  it('audits what changed, from and to', async () => {
    const { api, id } = await withConsultant();
    await api.patch(`/api/consultants/${id}`, { displayName: 'Ada Lovelace' });
    const events = (await api.get(`/api/audit?action=consultant.updated`)).body.events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      subjectType: 'consultant',
      subjectId: id,
      actor: 'bootstrap',
      detail: { changes: { displayName: { from: 'ada', to: 'Ada Lovelace' } } },
    });
  });
});

describe('offboarding a consultant', () => {
  it('revokes their open invitations, keeps the others, and retires their PAL links as history', async () => {
    const { api, deps, id } = await withConsultant();
    const open1 = await insertInvitation(deps, id);
    const open2 = await insertInvitation(deps, id, { tenantId: FABRIKAM });
    const done = await insertInvitation(deps, id, { state: 'completed' });
    await insertAssociation(deps, id, FABRIKAM);

    const res = await api.delete(`/api/consultants/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.revokedInvitations).toBe(2);
    expect(res.body.consultant).toMatchObject({
      id,
      status: 'offboarded',
      offboardedAt: '2026-11-20T09:00:00.000Z',
    });

    const detail = (await api.get(`/api/consultants/${id}`)).body;
    const states = Object.fromEntries(
      detail.invitations.map((i: { id: string; state: string }) => [i.id, i.state]),
    );
    expect(states).toEqual({ [open1]: 'revoked', [open2]: 'revoked', [done]: 'completed' });
    expect(detail.associations).toEqual([
      expect.objectContaining({ tenantId: FABRIKAM, status: 'inactive' }),
    ]);
  });

  it('discards their stored sign-ins, so nothing can act for them any more', async () => {
    const { api, deps, id } = await withConsultant();
    await deps.db
      .insertInto('token_caches')
      .values({ account_key: 'uid.utid', consultant_id: id, key_id: 'k1', data: 'sealed', updated_at: 'x' })
      .execute();
    await api.delete(`/api/consultants/${id}`);
    const left = await deps.db
      .selectFrom('token_caches')
      .selectAll()
      .where('consultant_id', '=', id)
      .execute();
    expect(left).toEqual([]);
  });

  it('is idempotent: a second call answers 200 with nothing revoked and records no second event', async () => {
    const { api, deps, clock, id } = await withConsultant();
    await insertInvitation(deps, id);
    await api.delete(`/api/consultants/${id}`);
    clock.advance(60_000);
    const again = await api.delete(`/api/consultants/${id}`);
    expect(again.status).toBe(200);
    expect(again.body.revokedInvitations).toBe(0);
    expect(again.body.consultant.offboardedAt).toBe('2026-11-20T09:00:00.000Z');
    const events = (await api.get('/api/audit?action=consultant.offboarded')).body.events;
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ revokedInvitations: 1, retiredAssociations: 0 });
  });

  it('is 404 for an unknown consultant', async () => {
    const { api } = await withConsultant();
    expect((await api.delete('/api/consultants/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);
  });

  it('keeps the email taken: adding the person again is a 409 that says they were offboarded', async () => {
    const { api, id } = await withConsultant();
    await api.delete(`/api/consultants/${id}`);
    const res = await api.post('/api/consultants', { email: 'ada@contoso.example' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      message: `A consultant with this email already exists (offboarded): reinstate them instead (POST /api/consultants/${id}/reinstate, or Reinstate on their console page)`,
      details: { existingId: id },
    });
  });

  it('reinstates an offboarded consultant: active, history kept, invitable again; once is enough', async () => {
    const { api, id, deps } = await withConsultant();
    await api.delete(`/api/consultants/${id}`);
    const back = await api.post(`/api/consultants/${id}/reinstate`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id, status: 'active', offboardedAt: null });
    expect((await api.post(`/api/consultants/${id}/reinstate`)).body).toMatchObject({ status: 'active' });
    // Editable and invitable again.
    expect((await api.patch(`/api/consultants/${id}`, { displayName: 'Ada L.' })).status).toBe(200);
    const invited = await api.post('/api/invitations', { consultantIds: [id] });
    expect(invited.status).toBe(202);
    expect(invited.body.invitations).toHaveLength(1);
    const events = await deps.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'consultant.reinstated')
      .execute();
    expect(events).toHaveLength(1);
    expect((await api.post('/api/consultants/0f8fad5b-d9cb-469f-a165-70867728950e/reinstate')).status).toBe(
      404,
    );
  });
});
