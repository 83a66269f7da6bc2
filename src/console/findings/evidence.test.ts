import { describe, expect, it } from 'vitest';
import { describeScope, summariseEvidence } from './evidence.ts';

describe('evidence as admins read it', () => {
  it('names the roles and where they apply, and whether they count for incentives', () => {
    const summary = summariseEvidence(
      JSON.stringify({
        partnerId: '4471231',
        expectedPartnerId: '4471231',
        subscriptions: 2,
        roles: [
          { roleName: 'Reader', scope: '/subscriptions/5f0c', eligible: false, inferred: false },
          {
            roleName: 'Reader',
            scope: '/subscriptions/5f0c/resourceGroups/rg-shared',
            eligible: false,
            inferred: false,
          },
        ],
      }),
    );
    expect(summary.roles.map((r) => `${r.name} @ ${r.scope}`)).toEqual([
      'Reader @ subscription 5f0c',
      'Reader @ resource group rg-shared',
    ]);
    expect(summary.subscriptions).toBe(2);
    expect(summary.foundPartnerId).toBeNull();
  });

  it('shows the partner ID found only when it is not ours', () => {
    const summary = summariseEvidence(
      JSON.stringify({ partnerId: '5550123', expectedPartnerId: '4471231', roles: [] }),
    );
    expect(summary.foundPartnerId).toBe('5550123');
  });

  it('says why a verdict is stale, and survives unreadable evidence', () => {
    expect(
      summariseEvidence(JSON.stringify({ roles: [], lastFailure: { errorCode: 'HTTP 503' } })).staleBecause,
    ).toBe('HTTP 503');
    expect(summariseEvidence('{not json').roles).toEqual([]);
    expect(summariseEvidence(null).error).toBeNull();
    expect(describeScope('/providers/Microsoft.Management/managementGroups/mg')).toBe(
      '/providers/Microsoft.Management/managementGroups/mg',
    );
  });
});
