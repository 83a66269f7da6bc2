import { afterEach, describe, expect, it } from 'vitest';
import { createInvitationService } from '../../src/invitations/service.ts';
import { buildTestApp } from '../support/app.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup() {
  const built = await buildTestApp();
  close = built.close;
  const now = built.clock.now().toISOString();
  const location = built.deps.config.partner.locations[0]!.id;
  await built.deps.db
    .insertInto('consultants')
    .values(
      ['a', 'b', 'c'].map((id) => ({
        id,
        email: `${id}@contoso.example`,
        display_name: id.toUpperCase(),
        location_id: location,
        customer_tenants: '[]',
        status: 'active' as const,
        created_at: now,
        updated_at: now,
        offboarded_at: null,
      })),
    )
    .execute();
  const states = async () =>
    Object.fromEntries(
      (await built.deps.db.selectFrom('invitations').select(['id', 'consultant_id', 'state']).execute()).map(
        (row) => [row.id, `${row.consultant_id}:${row.state}`],
      ),
    );
  return { invitations: createInvitationService(built.deps), states };
}

describe('issuing many invitations at once', () => {
  it('ends like issuing them one by one: one open link per consultant, the latest', async () => {
    const { invitations, states } = await setup();
    const earlier = await invitations.issue({ consultantId: 'b' });
    const issued = await invitations.issueMany([
      { consultantId: 'a' },
      { consultantId: 'b' },
      { consultantId: 'a' },
    ]);
    expect(issued).toHaveLength(3);
    expect(new Set(issued.map((i) => i.url)).size).toBe(3);
    expect(await states()).toEqual({
      [earlier.id]: 'b:superseded',
      [issued[0]!.id]: 'a:superseded',
      [issued[1]!.id]: 'b:open',
      [issued[2]!.id]: 'a:open',
    });
  });

  it('leaves other consultants’ links alone', async () => {
    const { invitations, states } = await setup();
    const other = await invitations.issue({ consultantId: 'c' });
    const [mine] = await invitations.issueMany([{ consultantId: 'a' }]);
    expect(await states()).toEqual({ [other.id]: 'c:open', [mine!.id]: 'a:open' });
  });
});
