import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSp, listSp } from '../../src/cli/link-sp.ts';
import { SEED_SERVICE_PRINCIPALS } from '../../src/sandbox/identity/service-principals.ts';
import { SEED } from '../../src/sandbox/world/seed.ts';
import { type ServiceWithSandbox, startServiceWithSandbox } from '../support/sandbox-app.ts';
import { certificatePem } from './support.ts';

const PIPELINE = SEED_SERVICE_PRINCIPALS.fabrikamPipeline;
const PARTNER_APP = SEED_SERVICE_PRINCIPALS.partnerAutomation;

let service: ServiceWithSandbox;
beforeAll(async () => {
  service = await startServiceWithSandbox();
});
afterAll(async () => service?.close());

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${service.sandbox.url}/_sandbox/control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  // biome-ignore lint/suspicious/noExplicitAny: whatever JSON the control API sent
  return (await response.json()) as any;
}

async function runCheck() {
  const started = await service.api('POST', '/api/health-checks');
  expect(started.status).toBe(202);
  for (;;) {
    const run = await service.api('GET', `/api/health-checks/${started.body.runId}`);
    if (run.body.state !== 'running') return run.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function output() {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

describe('automation identities against the sandbox', () => {
  it('links the Fabrikam pipeline from the CLI, finds it healthy, then reauth_required once its secret expires', async () => {
    const printed = output();
    const code = await linkSp(
      service.deps,
      {
        tenant: SEED.tenants.fabrikam,
        clientId: PIPELINE.clientId,
        secretEnv: 'PIPELINE_SECRET',
        name: PIPELINE.displayName,
      },
      { out: printed.out, environment: { PIPELINE_SECRET: PIPELINE.secret } },
    );
    expect(printed.text()).toContain('Linked to partner ID 4471231');
    expect(code).toBe(0);
    expect(printed.text()).not.toContain(PIPELINE.secret);

    // The sandbox recorded the PAL link for the service principal's own object ID.
    const world = await control('GET', '/world/raw');
    expect(world.partnerLinks).toContainEqual(
      expect.objectContaining({
        tenantId: SEED.tenants.fabrikam,
        objectId: PIPELINE.objectId,
        partnerId: '4471231',
      }),
    );

    let run = await runCheck();
    expect(run.state).toBe('completed');
    let listed = await service.api('GET', '/api/automation-identities');
    const pipeline = () =>
      listed.body.identities.find((i: { clientId: string }) => i.clientId === PIPELINE.clientId);
    expect(pipeline().association).toMatchObject({
      verdict: 'healthy',
      evidence: { roles: [expect.objectContaining({ roleName: 'Contributor' })] },
    });

    await control('POST', `/service-principals/${PIPELINE.clientId}/secrets/expire`);
    run = await runCheck();
    expect(run.counts).toMatchObject({ reauth_required: 1 });
    listed = await service.api('GET', '/api/automation-identities');
    expect(pipeline().association).toMatchObject({
      verdict: 'reauth_required',
      evidence: { errorCode: 'AADSTS7000222', errorKind: 'secret_expired' },
    });
    const listing = output();
    await listSp(service.deps, listing.out);
    expect(listing.text()).toContain('verdict reauth_required');
    expect(listing.text()).toMatch(/has expired/);

    // A new secret from the "portal", given to PAL Manager again: healthy once more.
    const added = (await control('POST', `/service-principals/${PIPELINE.clientId}/secrets`, {})) as {
      secret: string;
    };
    const again = output();
    expect(
      await linkSp(
        service.deps,
        { tenant: SEED.tenants.fabrikam, clientId: PIPELINE.clientId, secretEnv: 'NEW_SECRET' },
        { out: again.out, environment: { NEW_SECRET: added.secret } },
      ),
    ).toBe(0);
    expect(again.text()).toMatch(/^Updated .*Already linked to partner ID 4471231/s);
  });

  it('a wrong secret is refused (7000215) and a deleted service principal is account_revoked (700016)', async () => {
    // The pipeline is registered with a working secret (above): a wrong one does not replace it.
    const wrong = output();
    await expect(
      linkSp(
        service.deps,
        { tenant: SEED.tenants.fabrikam, clientId: PIPELINE.clientId, secretEnv: 'S' },
        { out: wrong.out, environment: { S: 'not-the-secret' } },
      ),
    ).rejects.toThrow(/does not work \(AADSTS7000215\); the credential it had is kept/);

    await control('DELETE', `/service-principals/${PIPELINE.clientId}`);
    await runCheck();
    const listed = await service.api('GET', '/api/automation-identities');
    const pipeline = listed.body.identities.find(
      (i: { clientId: string }) => i.clientId === PIPELINE.clientId,
    );
    expect(pipeline.association).toMatchObject({
      verdict: 'account_revoked',
      evidence: { errorCode: 'AADSTS700016' },
    });
  });

  it("links the partner's Lighthouse automation with a certificate; delegated roles are noted as not visible", async () => {
    const { pem, certificate } = await certificatePem();
    await control('POST', `/service-principals/${PARTNER_APP.clientId}/certificates`, { certificate });
    const dir = mkdtempSync(join(tmpdir(), 'pal-sbx-cert-'));
    const file = join(dir, 'partner-automation.pem');
    writeFileSync(file, pem);
    try {
      const created = await service.api('POST', '/api/automation-identities', {
        tenantId: service.deps.config.azure.tenantId,
        clientId: PARTNER_APP.clientId,
        credential: { type: 'certificate', path: file },
      });
      expect(created.status).toBe(201);
      expect(created.body.link).toMatchObject({ status: 'linked', objectId: PARTNER_APP.objectId });
      await runCheck();
      const shown = await service.api('GET', `/api/automation-identities/${created.body.identity.id}`);
      expect(shown.body.association).toMatchObject({
        verdict: 'healthy',
        evidence: { delegatedRolesNotVisible: true },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
