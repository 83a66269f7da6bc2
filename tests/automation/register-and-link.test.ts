import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APP,
  assertionValid,
  automationApp,
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

const SECRET = 'pipeline-secret-value~1';

async function withApp<T>(
  env: Record<string, string>,
  run: (app: Awaited<ReturnType<typeof automationApp>>) => Promise<T>,
) {
  const app = await automationApp(env);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

describe('registering a service principal with a client secret', () => {
  it('gets a client-credentials token, links PAL with it and never shows or stores the secret in clear', async () => {
    const tokens = tokenEndpoint(CUSTOMER_TENANT, (form) =>
      form.get('client_secret') === SECRET ? 'ok' : WRONG_SECRET,
    );
    const arm = resourceManager({ roles: [] });
    await withApp({}, async ({ api, deps }) => {
      const created = await api.post('/api/automation-identities', {
        displayName: 'Fabrikam pipeline',
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: SECRET },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body.link).toMatchObject({ status: 'linked', partnerId: '123456', objectId: SP_OBJECT });
      expect(created.body.identity).toMatchObject({
        clientId: APP,
        tenantId: CUSTOMER_TENANT,
        credential: { type: 'secret' },
        lighthouse: false,
        association: { partnerId: '123456', objectId: SP_OBJECT },
      });
      expect(created.text).not.toContain(SECRET);

      // The client-credentials grant, for Resource Manager's .default scope.
      expect(tokens).toHaveLength(1);
      const form = tokens[0]!.form;
      expect(form.get('grant_type')).toBe('client_credentials');
      expect(form.get('client_id')).toBe(APP);
      expect(form.get('scope')).toContain('https://management.azure.com/.default');
      expect(arm.calls).toEqual(['GET partners', 'PUT 123456', 'GET partners']);

      const row = await deps.db.selectFrom('automation_identities').selectAll().executeTakeFirstOrThrow();
      expect(row.secret_data).toBeTruthy();
      expect(row.secret_data).not.toContain(SECRET);
      expect(Buffer.from(row.secret_data!, 'base64').toString('latin1')).not.toContain(SECRET);
      const association = await deps.db
        .selectFrom('associations')
        .selectAll()
        .where('automation_identity_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(association).toMatchObject({
        kind: 'service_principal',
        consultant_id: null,
        partner_id: '123456',
      });

      // Beside consultants' links in the findings list and its spreadsheet.
      const findings = await api.get('/api/associations');
      expect(findings.body).toEqual([
        expect.objectContaining({
          kind: 'service_principal',
          consultantId: null,
          automationIdentityId: row.id,
          email: `app ${APP}`,
          partnerId: '123456',
        }),
      ]);
      expect((await api.get('/api/associations.csv')).text).toContain(`app ${APP},Fabrikam pipeline`);

      const listed = await api.get('/api/automation-identities');
      expect(listed.body.identities).toHaveLength(1);
      expect(listed.text).not.toContain(SECRET);
      // Registering the same app again is a conflict, not a second identity.
      const again = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: SECRET },
      });
      expect(again.status).toBe(409);
    });
  });

  it('keeps a working secret when a replacement does not work (a typo must not break a pipeline)', async () => {
    tokenEndpoint(CUSTOMER_TENANT, (form) => (form.get('client_secret') === SECRET ? 'ok' : WRONG_SECRET));
    resourceManager({ roles: [] });
    await withApp({}, async ({ api, deps }) => {
      const created = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: SECRET },
      });
      const id = created.body.identity.id as string;
      const before = await deps.db.selectFrom('automation_identities').selectAll().executeTakeFirstOrThrow();

      const replaced = await api.put(`/api/automation-identities/${id}/credential`, {
        credential: { type: 'secret', secret: 'pipeline-secret-typo' },
      });
      expect(replaced.status).toBe(400);
      expect(replaced.body.error.message).toMatch(/AADSTS7000215.*the credential it had is kept/);
      expect(replaced.text).not.toContain('pipeline-secret-typo');
      const after = await deps.db.selectFrom('automation_identities').selectAll().executeTakeFirstOrThrow();
      expect(after.secret_data).toBe(before.secret_data);
      // The kept secret still links.
      const linked = await api.post(`/api/automation-identities/${id}/link`, {});
      expect(linked.body.link).toMatchObject({ status: 'already_linked' });
    });
  });

  it('an expired secret (AADSTS7000222) registers the identity but reports reauth_required and what to do', async () => {
    tokenEndpoint(CUSTOMER_TENANT, () => EXPIRED);
    const arm = resourceManager({ roles: [] });
    await withApp({}, async ({ api }) => {
      const created = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: SECRET },
      });
      expect(created.status).toBe(201);
      expect(created.body.link).toMatchObject({
        status: 'failed',
        verdict: 'reauth_required',
        code: 'AADSTS7000222',
      });
      expect(created.body.link.message).toMatch(/has expired/);
      expect(created.body.identity.association).toBeNull();
      expect(arm.calls).toEqual([]);
    });
  });

  it('a wrong secret (AADSTS7000215) is reauth_required with a readable message', async () => {
    tokenEndpoint(CUSTOMER_TENANT, () => WRONG_SECRET);
    resourceManager({ roles: [] });
    await withApp({}, async ({ api }) => {
      const created = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: 'not-it' },
      });
      expect(created.body.link).toMatchObject({
        status: 'failed',
        verdict: 'reauth_required',
        code: 'AADSTS7000215',
      });
      expect(created.body.link.message).toMatch(/not valid/);
      expect(created.text).not.toContain('not-it');
    });
  });

  it('an app missing from the tenant (AADSTS700016) is account_revoked', async () => {
    tokenEndpoint(CUSTOMER_TENANT, () => NO_APP);
    resourceManager({ roles: [] });
    await withApp({}, async ({ api }) => {
      const created = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: SECRET },
      });
      expect(created.body.link).toMatchObject({
        status: 'failed',
        verdict: 'account_revoked',
        code: 'AADSTS700016',
      });
      expect(created.body.link.message).toContain(
        `No app with client ID ${APP} exists in tenant ${CUSTOMER_TENANT}`,
      );
    });
  });

  it('refuses bad input with a 400 naming the problem', async () => {
    await withApp({}, async ({ api }) => {
      const cases = [
        [{ tenantId: 'fabrikam', clientId: APP, credential: { type: 'secret', secret: 'x' } }, /tenantId/],
        [
          { tenantId: CUSTOMER_TENANT, clientId: APP, credential: { type: 'password', secret: 'x' } },
          /credential/,
        ],
        [
          {
            tenantId: CUSTOMER_TENANT,
            clientId: APP,
            credential: { type: 'secret_env', variable: 'TOKEN_ENCRYPTION_KEY' },
          },
          /PAL_SP_/,
        ],
        [
          { tenantId: CUSTOMER_TENANT, clientId: APP, credential: { type: 'managed_identity' } },
          /partner's tenant/,
        ],
        [
          {
            tenantId: CUSTOMER_TENANT,
            clientId: APP,
            credential: { type: 'secret', secret: 'x' },
            locationId: '999',
          },
          /locationId/,
        ],
      ] as const;
      for (const [body, message] of cases) {
        const response = await api.post('/api/automation-identities', body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.error.message).toMatch(message);
      }
    });
  });
});

describe('a secret the service reads from its environment', () => {
  it('uses the PAL_SP_ variable at each use and refuses one that is not set', async () => {
    const tokens = tokenEndpoint(CUSTOMER_TENANT, (form) =>
      form.get('client_secret') === 'from-env' ? 'ok' : WRONG_SECRET,
    );
    resourceManager({ roles: [] });
    await withApp({ PAL_SP_FABRIKAM: 'from-env' }, async ({ api, deps }) => {
      const missing = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret_env', variable: 'PAL_SP_ELSEWHERE' },
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/PAL_SP_ELSEWHERE is not set/);

      const created = await api.post('/api/automation-identities', {
        tenantId: CUSTOMER_TENANT,
        clientId: APP,
        credential: { type: 'secret_env', variable: 'PAL_SP_FABRIKAM' },
      });
      expect(created.body.link.status).toBe('linked');
      expect(created.body.identity.credential).toEqual({ type: 'secret_env', variable: 'PAL_SP_FABRIKAM' });
      expect(tokens[0]!.form.get('client_secret')).toBe('from-env');
      const row = await deps.db.selectFrom('automation_identities').selectAll().executeTakeFirstOrThrow();
      expect(row.secret_data).toBeNull();
    });
  });
});

describe('a certificate credential', () => {
  it('signs a client assertion with the certificate key (no secret sent)', async () => {
    const { pem, certificate } = await certificatePem();
    const dir = mkdtempSync(join(tmpdir(), 'pal-cert-'));
    const file = join(dir, 'sp.pem');
    writeFileSync(file, pem);
    const tokens = tokenEndpoint(CUSTOMER_TENANT, () => 'ok');
    resourceManager({ roles: [] });
    try {
      await withApp({}, async ({ api }) => {
        const created = await api.post('/api/automation-identities', {
          tenantId: CUSTOMER_TENANT,
          clientId: APP,
          credential: { type: 'certificate', path: file },
        });
        expect(created.body.link.status, created.text).toBe('linked');
        const form = tokens[0]!.form;
        expect(form.get('grant_type')).toBe('client_credentials');
        expect(form.get('client_secret')).toBeNull();
        expect(form.get('client_assertion_type')).toBe(
          'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        );
        expect(await assertionValid(form.get('client_assertion') ?? '', certificate)).toBe(true);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing or incomplete certificate file at registration with a 400', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pal-cert-'));
    const keyOnly = join(dir, 'key-only.pem');
    writeFileSync(keyOnly, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    try {
      await withApp({}, async ({ api }) => {
        const missing = await api.post('/api/automation-identities', {
          tenantId: CUSTOMER_TENANT,
          clientId: APP,
          credential: { type: 'certificate', path: join(dir, 'nope.pem') },
        });
        expect(missing.status).toBe(400);
        expect(missing.body.error.message).toMatch(/nope\.pem cannot be used: it does not exist/);
        const partial = await api.post('/api/automation-identities', {
          tenantId: CUSTOMER_TENANT,
          clientId: APP,
          credential: { type: 'certificate', path: keyOnly },
        });
        expect(partial.status).toBe(400);
        expect(partial.body.error.message).toMatch(/both the private key .* and the certificate/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the partner's own identity (Lighthouse)", () => {
  it('registers a secret-based service principal in the partner tenant as a Lighthouse identity', async () => {
    tokenEndpoint(PARTNER_TENANT, () => 'ok');
    resourceManager({ roles: [], tenant: PARTNER_TENANT });
    await withApp({}, async ({ api }) => {
      const created = await api.post('/api/automation-identities', {
        tenantId: PARTNER_TENANT,
        clientId: APP,
        credential: { type: 'secret', secret: SECRET },
      });
      expect(created.body.identity.lighthouse).toBe(true);
      expect(created.body.link).toMatchObject({ status: 'linked', tenantId: PARTNER_TENANT });
    });
  });
});
