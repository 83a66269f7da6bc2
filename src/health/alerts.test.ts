import { describe, expect, it } from 'vitest';
import { createAlertTally } from './alerts.ts';
import type { Evidence } from './check-association.ts';

const base: Evidence = { partnerId: null, expectedPartnerId: '4471231', subscriptions: null, roles: [] };
const expiredSecret: Evidence = {
  ...base,
  errorCode: 'AADSTS7000222',
  errorKind: 'app_misconfigured',
  message: 'The provided client secret keys are expired.',
  adminAlert: true,
};

describe('admin alerts of a run', () => {
  it('folds one cause across many associations and tenants into one alert with counts', () => {
    const tally = createAlertTally();
    tally.note('tenant-a', expiredSecret);
    tally.note('tenant-a', expiredSecret);
    tally.note('tenant-b', expiredSecret);
    expect(tally.alerts()).toEqual([
      {
        kind: 'app_misconfigured',
        message: expect.stringMatching(
          /^3 association\(s\) in 2 tenants .*AADSTS7000222: The provided client secret/,
        ),
      },
    ]);
  });

  it('names the tenant when only one is affected, and ignores checks that need no admin', () => {
    const tally = createAlertTally();
    tally.note('tenant-a', { ...expiredSecret, errorCode: 'AADSTS700016' });
    tally.note('tenant-b', { ...base, errorCode: 'AADSTS50076', errorKind: 'interaction_required' });
    expect(tally.alerts()).toEqual([expect.objectContaining({ tenantId: 'tenant-a' })]);
  });
});
