import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createArmClient } from './arm-client.ts';

const ARM = 'https://management.azure.com';
const token = (name: string) => ({ token: `token-of-${name}`, expiresOnTimestamp: Date.now() + 3_600_000 });

afterEach(() => nock.cleanAll());

describe('the Resource Manager adapter (one set of SDK clients for every caller)', () => {
  it('signs each request with the token of the call it belongs to, even when calls interleave', async () => {
    const seen: { path: string; authorization: string }[] = [];
    const record = (delayMs: number, body: unknown) => (request: Request) => {
      seen.push({
        path: new URL(request.url).pathname,
        authorization: request.headers.get('authorization') ?? '',
      });
      return new Promise<[number, unknown]>((resolve) => setTimeout(() => resolve([200, body]), delayMs));
    };
    nock(ARM)
      .get('/providers/Microsoft.ManagementPartner/partners')
      .query(true)
      .times(2)
      .reply(record(30, { partnerId: '123456', name: '123456', properties: { partnerId: '123456' } }));
    nock(ARM)
      .get('/subscriptions')
      .query(true)
      .times(2)
      .reply(record(5, { value: [{ subscriptionId: 's1', displayName: 'One', state: 'Enabled' }] }));
    nock(ARM)
      .get('/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments')
      .query((q) => q.$filter === "assignedTo('oid-b')")
      .reply(record(1, { value: [] }));

    const arm = createArmClient({ endpoint: ARM });
    const [a1, b1, a2, b2, b3] = await Promise.all([
      arm.getPartnerLink(token('a')),
      arm.listSubscriptions(token('b')),
      arm.listSubscriptions(token('a')),
      arm.getPartnerLink(token('b')),
      arm.listRoleAssignments(token('b'), 's1', 'oid-b'),
    ]);
    for (const result of [a1, b1, a2, b2, b3]) expect(result.ok).toBe(true);
    expect(seen).toHaveLength(5);
    const byToken = (name: string) =>
      seen.filter((s) => s.authorization === `Bearer token-of-${name}`).map((s) => s.path);
    expect(byToken('a').sort()).toEqual([
      '/providers/Microsoft.ManagementPartner/partners',
      '/subscriptions',
    ]);
    expect(byToken('b').sort()).toEqual([
      '/providers/Microsoft.ManagementPartner/partners',
      '/subscriptions',
      '/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments',
    ]);
  });

  it('keeps the token of a call through its retries', async () => {
    const authorizations: string[] = [];
    nock(ARM)
      .get('/subscriptions')
      .query(true)
      .reply((request: Request) => {
        authorizations.push(request.headers.get('authorization') ?? '');
        return [429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '0' }];
      })
      .get('/subscriptions')
      .query(true)
      .reply((request: Request) => {
        authorizations.push(request.headers.get('authorization') ?? '');
        return [200, { value: [] }];
      });
    const arm = createArmClient({ endpoint: ARM, retry: { maxRetries: 2, retryDelayInMs: 1 } });
    const result = await arm.listSubscriptions(token('c'));
    expect(result).toEqual({ ok: true, value: [] });
    expect(authorizations).toEqual(['Bearer token-of-c', 'Bearer token-of-c']);
  });
});
