import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createTokenCacheStore } from '../azure/token-cache-store.ts';
import type { Deps } from '../deps.ts';
import { forEachBounded } from '../health/concurrency.ts';
import { SANDBOX_DEFAULTS } from '../platform/config/sandbox-defaults.ts';
import type { SandboxContext } from './context.ts';
import { codeStoreFor } from './identity/codes.ts';

/**
 * Sandbox tooling for benchmarks and multi-instance tests: many consultants who have already linked,
 * without a browser. The sandbox issues one authorization code per consultant (as its account picker
 * would), and the service redeems each through its own identity port exactly as the OAuth callback
 * does — so every stored token cache is a real, sealed MSAL cache with a real refresh token.
 */

export interface SignInPlan {
  redirectUri: string;
  verifier: string;
  nonce: string;
  state: string;
}

export function newSignInPlan(publicBaseUrl: string): SignInPlan {
  return {
    redirectUri: `${publicBaseUrl}/auth/callback`,
    verifier: randomBytes(32).toString('base64url'),
    nonce: randomBytes(16).toString('hex'),
    state: randomBytes(16).toString('hex'),
  };
}

/** What the sandbox needs to issue codes for a plan: never the PKCE verifier itself. */
export function codeRequestOf(plan: SignInPlan) {
  return {
    redirectUri: plan.redirectUri,
    codeChallenge: createHash('sha256').update(plan.verifier).digest('base64url'),
    nonce: plan.nonce,
  };
}

/** The sandbox's side: a code per consultant, issued in the partner (home) tenant. */
export function issueSignInCodes(
  context: SandboxContext,
  userIds: readonly string[],
  request: ReturnType<typeof codeRequestOf>,
  partnerTenantId: string,
): { userId: string; code: string }[] {
  const store = codeStoreFor(context);
  const { codeChallenge, redirectUri, nonce } = request;
  return userIds.map((userId) => ({
    userId,
    code: store.issue({
      clientId: SANDBOX_DEFAULTS.clientId,
      redirectUri,
      codeChallenge,
      nonce,
      userId,
      tenantId: partnerTenantId,
      scopes: ['https://management.azure.com/user_impersonation', 'offline_access', 'openid', 'profile'],
      issuedAt: new Date(),
    }),
  }));
}

export interface LinkedWorld {
  partnerId: string;
  consultants: { userId: string; upn: string; displayName: string }[];
  associations: { userId: string; tenantId: string; tenantName: string; objectId: string }[];
}

/** What the sandbox's bulk consultants (control/bulk.ts) are to the service: people linked in tenants. */
export function linkedWorldOf(
  bulk: {
    tenants: { id: string; displayName: string }[];
    users: { upn: string; userId: string; identities: { tenantId: string; objectId: string }[] }[];
  },
  partnerId: string,
): LinkedWorld {
  const names = new Map(bulk.tenants.map((t) => [t.id, t.displayName]));
  return {
    partnerId,
    consultants: bulk.users.map((u) => ({
      userId: u.userId,
      upn: u.upn,
      displayName: u.upn.split('@')[0] ?? u.upn,
    })),
    associations: bulk.users.flatMap((u) =>
      u.identities.map((i) => ({
        userId: u.userId,
        tenantId: i.tenantId,
        tenantName: names.get(i.tenantId) ?? i.tenantId,
        objectId: i.objectId,
      })),
    ),
  };
}

/**
 * The service's side: consultant and association rows, then each consultant's sign-in redeemed and
 * its token cache stored. Returns the sign-ins that failed (`userId: reason`).
 */
export async function seedLinkedConsultants(
  deps: Pick<Deps, 'db' | 'azure' | 'sealedBox' | 'clock'>,
  world: LinkedWorld,
  signIn: { plan: SignInPlan; codes: { userId: string; code: string }[]; concurrency: number },
): Promise<string[]> {
  const now = deps.clock.now().toISOString();
  const consultantIds = new Map<string, string>();
  const tenantsOf = new Map<string, string[]>();
  for (const a of world.associations)
    tenantsOf.set(a.userId, [...(tenantsOf.get(a.userId) ?? []), a.tenantId]);
  await deps.db.transaction().execute(async (trx) => {
    for (const c of world.consultants) {
      const id = randomUUID();
      consultantIds.set(c.userId, id);
      await trx
        .insertInto('consultants')
        .values({
          id,
          email: c.upn,
          display_name: c.displayName,
          location_id: world.partnerId,
          customer_tenants: JSON.stringify(tenantsOf.get(c.userId) ?? []),
          status: 'active',
          created_at: now,
          updated_at: now,
          offboarded_at: null,
        })
        .execute();
    }
    for (const a of world.associations) {
      await trx
        .insertInto('associations')
        .values({
          id: randomUUID(),
          consultant_id: consultantIds.get(a.userId) as string,
          kind: 'user',
          tenant_id: a.tenantId,
          tenant_name: a.tenantName,
          object_id: a.objectId,
          partner_id: world.partnerId,
          previous_partner_id: null,
          linked_at: now,
          status: 'active',
          verdict: null,
          verdict_since: null,
          last_checked_at: null,
          evidence: null,
        })
        .execute();
    }
  });

  const caches = createTokenCacheStore(deps);
  const failures: string[] = [];
  await forEachBounded(signIn.codes, signIn.concurrency, async ({ userId, code }) => {
    const consultantId = consultantIds.get(userId) as string;
    const redeemed = await deps.azure.identity.redeemCode({
      code,
      codeVerifier: signIn.plan.verifier,
      nonce: signIn.plan.nonce,
      state: signIn.plan.state,
      authority: 'organizations',
    });
    if (!redeemed.outcome.ok) {
      failures.push(`${userId}: ${redeemed.outcome.failure.errorCode} ${redeemed.outcome.failure.message}`);
      return;
    }
    const account = redeemed.outcome.value.homeAccountId;
    await caches.save(account, consultantId, redeemed.cache);
    await deps.db
      .updateTable('consultants')
      .set({
        home_account_id: account,
        signed_in_as: redeemed.outcome.value.username,
        last_signed_in_at: now,
      })
      .where('id', '=', consultantId)
      .execute();
  });
  return failures;
}
