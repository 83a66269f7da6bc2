import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { appPerTest } from './support.ts';

const setup = appPerTest();

describe('API tokens', () => {
  it('issues a pal_ token once, which then works as an admin token', async () => {
    const { app, api } = await setup();
    const created = await api.post('/api/tokens', { name: 'ci-import' });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'ci-import',
      token: expect.stringMatching(/^pal_[A-Za-z0-9_-]{43}$/),
      createdAt: '2026-11-20T09:00:00.000Z',
    });
    const res = await request(app)
      .get('/api/consultants')
      .set('authorization', `Bearer ${created.body.token}`);
    expect(res.status).toBe(200);
  });

  it('stores only a hash of the token, never the token itself', async () => {
    const { api, deps } = await setup();
    const { token, id } = (await api.post('/api/tokens', { name: 'ci' })).body;
    const row = await deps.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row.token_hash).toBe(deps.tokenHasher.hash(token));
  });

  it('lists tokens without their values', async () => {
    const { api } = await setup();
    const { token } = (await api.post('/api/tokens', { name: 'ci' })).body;
    const res = await api.get('/api/tokens');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(token);
    expect(res.body.tokens).toEqual([
      {
        id: expect.any(String),
        name: 'ci',
        createdAt: '2026-11-20T09:00:00.000Z',
        createdBy: 'bootstrap',
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
  });

  it('stops accepting a revoked token at once', async () => {
    const { app, api } = await setup();
    const { token, id } = (await api.post('/api/tokens', { name: 'ci' })).body;
    const revoked = await api.delete(`/api/tokens/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.token).toMatchObject({ id, revokedAt: '2026-11-20T09:00:00.000Z' });
    const res = await request(app).get('/api/consultants').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('answers 404 for revoking an unknown token, and 200 again for one already revoked', async () => {
    const { api } = await setup();
    expect((await api.delete('/api/tokens/0f8fad5b-d9cb-469f-a165-70867728950e')).status).toBe(404);
    const { id } = (await api.post('/api/tokens', { name: 'ci' })).body;
    expect((await api.delete(`/api/tokens/${id}`)).status).toBe(200);
    expect((await api.delete(`/api/tokens/${id}`)).status).toBe(200);
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { app, api, clock, deps } = await setup();
    const { token, id } = (await api.post('/api/tokens', { name: 'ci' })).body;
    const use = () => request(app).get('/api/audit').set('authorization', `Bearer ${token}`);
    const lastUsed = async () =>
      (
        await deps.db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).last_used_at;

    await use();
    expect(await lastUsed()).toBe('2026-11-20T09:00:00.000Z');
    clock.advance(30_000);
    await use();
    expect(await lastUsed()).toBe('2026-11-20T09:00:00.000Z');
    clock.advance(30_000);
    await use();
    expect(await lastUsed()).toBe('2026-11-20T09:01:00.000Z');
    expect((await api.get('/api/tokens')).body.tokens[0].lastUsedAt).toBe('2026-11-20T09:01:00.000Z');
  });

  it('names the token holder as the actor of what it does', async () => {
    const { app, api } = await setup();
    const { token, id } = (await api.post('/api/tokens', { name: 'ci-import' })).body;
    await request(app)
      .post('/api/consultants')
      .set('authorization', `Bearer ${token}`)
      .send({ email: 'ada@contoso.example' });
    const events = (await api.get('/api/audit?action=consultant.created')).body.events;
    expect(events[0].actor).toBe(`api_token:${id} (ci-import)`);
  });

  it('requires a name, and strips line breaks from it', async () => {
    const { api } = await setup();
    const missing = await api.post('/api/tokens', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^name: /);
    const blank = await api.post('/api/tokens', { name: ' \r\n ' });
    expect(blank.status).toBe(400);
    const multiline = await api.post('/api/tokens', { name: 'ci\r\nX-Evil: 1' });
    expect(multiline.body.name).toBe('ci X-Evil: 1');
  });

  it('audits creation and revocation without the token value', async () => {
    const { api } = await setup();
    const { token, id } = (await api.post('/api/tokens', { name: 'ci' })).body;
    await api.delete(`/api/tokens/${id}`);
    const audit = await api.get(`/api/audit?subjectId=${id}`);
    const actions = audit.body.events.map((e: { action: string }) => e.action).sort();
    expect(actions).toEqual(['api_token.created', 'api_token.revoked']);
    expect(audit.text).not.toContain(token);
  });
});
