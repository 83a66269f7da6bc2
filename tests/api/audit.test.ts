import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/service.ts';
import { appPerTest } from './support.ts';

const setup = appPerTest();

describe('the audit log', () => {
  it('records each mutation with actor, subject, detail and the request ID from the logs', async () => {
    const { api } = await setup();
    const created = await api.post('/api/consultants', { email: 'ada@contoso.example' });
    const res = await api.get('/api/audit');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      events: [
        {
          id: expect.any(String),
          at: '2026-11-20T09:00:00.000Z',
          actor: 'bootstrap',
          action: 'consultant.created',
          subjectType: 'consultant',
          subjectId: created.body.id,
          detail: { email: 'ada@contoso.example', locationId: '4471231' },
          requestId: created.headers['x-request-id'],
        },
      ],
    });
  });

  it('pages newest first with a cursor, losing nothing when many events share a millisecond', async () => {
    const { api, clock } = await setup();
    for (let i = 0; i < 7; i++) {
      await api.post('/api/consultants', { email: `c${i}@contoso.example` });
      if (i === 2) clock.advance(1000);
    }
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await api.get(`/api/audit?limit=3${next ? `&before=${encodeURIComponent(next)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.events.map((e: { detail: { email: string } }) => e.detail.email));
      next = res.body.next;
      pages++;
    } while (next && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    // The four created after the clock moved come first.
    expect(seen.slice(0, 4).sort()).toEqual(['c3', 'c4', 'c5', 'c6'].map((c) => `${c}@contoso.example`));
  });

  it('takes a bare ISO time as `before`', async () => {
    const { api, clock } = await setup();
    await api.post('/api/consultants', { email: 'early@contoso.example' });
    clock.advance(3_600_000);
    await api.post('/api/consultants', { email: 'late@contoso.example' });
    const res = await api.get('/api/audit?before=2026-11-20T09:30:00Z');
    expect(res.body.events.map((e: { detail: { email: string } }) => e.detail.email)).toEqual([
      'early@contoso.example',
    ]);
  });

  it('filters by action and by subject', async () => {
    const { api } = await setup();
    const ada = (await api.post('/api/consultants', { email: 'ada@contoso.example' })).body;
    await api.post('/api/consultants', { email: 'bo@contoso.example' });
    await api.delete(`/api/consultants/${ada.id}`);
    const offboarded = (await api.get('/api/audit?action=consultant.offboarded')).body.events;
    expect(offboarded.map((e: { subjectId: string }) => e.subjectId)).toEqual([ada.id]);
    const aboutAda = (await api.get(`/api/audit?subjectId=${ada.id}`)).body.events;
    expect(aboutAda.map((e: { action: string }) => e.action).sort()).toEqual([
      'consultant.created',
      'consultant.offboarded',
    ]);
  });

  it('refuses a cursor that is not one and a limit out of range', async () => {
    const { api } = await setup();
    for (const query of ['before=yesterday', 'limit=0', 'limit=501']) {
      const res = await api.get(`/api/audit?${query}`);
      expect(res.status, query).toBe(400);
    }
  });

  it('never stores a secret a caller put in the detail', async () => {
    const { api, deps } = await setup();
    const audit = createAuditLog(deps);
    const token = `pal_${'x'.repeat(43)}`;
    await audit.record({
      actor: 'test',
      action: 'api_token.created',
      detail: { name: 'ci', token, nested: { clientSecret: 's3cret', note: token } },
    });
    const rows = await deps.db.selectFrom('audit_events').select('detail').execute();
    expect(rows.map((r) => r.detail)).toEqual([JSON.stringify({ name: 'ci', nested: {} })]);
    expect((await api.get('/api/audit')).text).not.toContain('s3cret');
  });

  it('rejects an action that is not subject.verb, which would be a programming mistake', async () => {
    const { deps } = await setup();
    await expect(createAuditLog(deps).record({ actor: 'test', action: 'Created' })).rejects.toThrow(
      /subject\.verb/,
    );
  });
});
