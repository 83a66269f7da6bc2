import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthRun, waitForRun } from '../../src/health/index.ts';
import type { RunReport } from '../../src/health/report.ts';
import {
  APP,
  automationApp,
  CONTRIBUTOR,
  CUSTOMER_TENANT,
  certificatePem,
  EXPIRED,
  NO_APP,
  nock,
  PARTNER_TENANT,
  resourceManager,
  SP_OBJECT,
  tokenEndpoint,
  WRONG_SECRET,
} from './support.ts';

afterEach(() => {
  nock.cleanAll();
});

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

type App = Awaited<ReturnType<typeof automationApp>>;

/** Runs the health check in process and returns the report and what the identity now shows. */
async function check(app: App, identityId: string) {
  const reports: RunReport[] = [];
  const handle = await startHealthRun(app.deps, {
    trigger: 'manual',
    onRunFinished: async (report) => {
      reports.push(report);
    },
  });
  await waitForRun(app.deps, handle.runId);
  const shown = await app.api.get(`/api/automation-identities/${identityId}`);
  return { report: reports[0]!, association: shown.body.association };
}

async function register(app: App, credential: object, tenantId = CUSTOMER_TENANT) {
  const created = await app.api.post('/api/automation-identities', { tenantId, clientId: APP, credential });
  expect(created.status, created.text).toBe(201);
  return created.body as { identity: { id: string }; link: { status: string } };
}

describe('the health check of a service principal', () => {
  it('is healthy with a Contributor role found for its own object ID, through its own fresh token', async () => {
    const tokens = tokenEndpoint(CUSTOMER_TENANT, () => 'ok');
    const arm = resourceManager({ roles: [CONTRIBUTOR] });
    const app = await automationApp();
    try {
      const { identity } = await register(app, { type: 'secret', secret: 's3cret' });
      const { report, association } = await check(app, identity.id);
      expect(report.counts).toEqual({ healthy: 1 });
      expect(association).toMatchObject({
        verdict: 'healthy',
        evidence: {
          partnerId: '123456',
          subscriptions: 1,
          roles: [{ roleName: 'Contributor', eligible: true }],
        },
      });
      expect(arm.calls).toContain(`GET roleAssignments assignedTo('${SP_OBJECT}')`);
      // One token to link, a new one to check: no cached token hides a revoked secret.
      expect(tokens).toHaveLength(2);
    } finally {
      await app.close();
    }
  });

  it('turns reauth_required when the secret expires (AADSTS7000222), with the reason, and re-invites nobody', async () => {
    let answer: 'ok' | typeof EXPIRED = 'ok';
    tokenEndpoint(CUSTOMER_TENANT, () => answer);
    resourceManager({ roles: [CONTRIBUTOR] });
    const app = await automationApp();
    try {
      const { identity } = await register(app, { type: 'secret', secret: 's3cret' });
      expect((await check(app, identity.id)).association.verdict).toBe('healthy');
      answer = EXPIRED;
      const { report, association } = await check(app, identity.id);
      expect(association).toMatchObject({
        verdict: 'reauth_required',
        stale: false,
        evidence: { errorCode: 'AADSTS7000222', errorKind: 'secret_expired', adminAlert: true },
      });
      expect(association.evidence.message).toMatch(/has expired/);
      expect(report.transitions).toEqual([
        expect.objectContaining({ kind: 'service_principal', from: 'healthy', to: 'reauth_required' }),
      ]);
      expect(report.adminAlerts).toEqual([expect.objectContaining({ kind: 'secret_expired' })]);
      const reinvites = await app.deps.db.selectFrom('mail_outbox').selectAll().execute();
      expect(reinvites).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a wrong secret (AADSTS7000215) is reauth_required; an app gone from the tenant (AADSTS700016) account_revoked', async () => {
    let answer: 'ok' | typeof WRONG_SECRET = 'ok';
    tokenEndpoint(CUSTOMER_TENANT, () => answer);
    resourceManager({ roles: [CONTRIBUTOR] });
    const app = await automationApp();
    try {
      const { identity } = await register(app, { type: 'secret', secret: 's3cret' });
      answer = WRONG_SECRET;
      expect((await check(app, identity.id)).association).toMatchObject({
        verdict: 'reauth_required',
        evidence: { errorCode: 'AADSTS7000215', errorKind: 'secret_invalid' },
      });
      answer = NO_APP;
      expect((await check(app, identity.id)).association).toMatchObject({
        verdict: 'account_revoked',
        evidence: { errorCode: 'AADSTS700016', errorKind: 'app_not_in_tenant' },
      });
    } finally {
      await app.close();
    }
  });

  it('a certificate file that went missing is reauth_required with the file named, not a crash', async () => {
    const { pem } = await certificatePem();
    const dir = mkdtempSync(join(tmpdir(), 'pal-cert-'));
    const file = join(dir, 'sp.pem');
    writeFileSync(file, pem);
    tokenEndpoint(CUSTOMER_TENANT, () => 'ok');
    resourceManager({ roles: [CONTRIBUTOR] });
    const app = await automationApp();
    try {
      const { identity } = await register(app, { type: 'certificate', path: file });
      rmSync(file);
      const { report, association } = await check(app, identity.id);
      expect(report.counts).toEqual({ reauth_required: 1 });
      expect(association.evidence).toMatchObject({ errorCode: 'certificate_unreadable', adminAlert: true });
      expect(association.evidence.message).toBe(
        `The certificate file ${file} cannot be used: it does not exist.`,
      );
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a Reader-only pipeline is reader_only, as a consultant would be', async () => {
    tokenEndpoint(CUSTOMER_TENANT, () => 'ok');
    resourceManager({ roles: [READER] });
    const app = await automationApp();
    try {
      const { identity } = await register(app, { type: 'secret', secret: 's3cret' });
      expect((await check(app, identity.id)).association.verdict).toBe('reader_only');
    } finally {
      await app.close();
    }
  });
});

describe('a Lighthouse identity checked from the partner tenant', () => {
  it('is not reported no_access: delegated roles are invisible from there, and the evidence says so', async () => {
    tokenEndpoint(PARTNER_TENANT, () => 'ok');
    resourceManager({ roles: [], subscriptions: [], tenant: PARTNER_TENANT });
    const app = await automationApp();
    try {
      const { identity } = await register(app, { type: 'secret', secret: 's3cret' }, PARTNER_TENANT);
      const { association } = await check(app, identity.id);
      expect(association.verdict).toBe('healthy');
      expect(association.evidence).toMatchObject({ delegatedRolesNotVisible: true, roles: [] });
      expect(association.evidence.message).toMatch(/Lighthouse.*not verified/);
    } finally {
      await app.close();
    }
  });
});

describe("the service's own managed identity (DefaultAzureCredential)", () => {
  it('gets its token from the managed identity endpoint and links in the partner tenant', async () => {
    const imds = nock('http://169.254.169.254')
      .get('/metadata/identity/oauth2/token')
      .query(true)
      .reply(200, () => {
        const now = Math.floor(Date.now() / 1000);
        const claims = Buffer.from(
          JSON.stringify({ tid: PARTNER_TENANT, oid: SP_OBJECT, exp: now + 3599 }),
        ).toString('base64url');
        return {
          access_token: `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`,
          expires_in: '3599',
          expires_on: String(now + 3599),
          resource: 'https://management.azure.com',
          token_type: 'Bearer',
          client_id: APP,
        };
      })
      .persist();
    const arm = resourceManager({ roles: [], subscriptions: [], tenant: PARTNER_TENANT });
    const app = await automationApp();
    try {
      const created = await register(app, { type: 'managed_identity' }, PARTNER_TENANT);
      expect(created.link).toMatchObject({ status: 'linked', objectId: SP_OBJECT, tenantId: PARTNER_TENANT });
      expect(imds.isDone()).toBe(true);
      expect(arm.calls).toEqual(['GET partners', 'PUT 123456', 'GET partners']);
    } finally {
      await app.close();
    }
  });
});
