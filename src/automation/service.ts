import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditLog } from '../audit/service.ts';
import type { ResourceManager } from '../azure/resource-manager.ts';
import type { Config } from '../platform/config/index.ts';
import type { SealedBox } from '../platform/crypto/sealed-box.ts';
import type { Db } from '../platform/db/connection.ts';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.ts';
import type { AutomationTokens } from './credentials.ts';
import { readCertificate } from './credentials.ts';
import { type AutomationLinkResult, linkAutomationIdentity } from './link.ts';
import { type CredentialInput, credentialOf, secretContext } from './model.ts';
import type { RegisterInput } from './schemas.ts';
import { createAutomationStore, type IdentityRow } from './store.ts';
import { type IdentityView, toView } from './view.ts';

export interface AutomationServiceDeps {
  db: Db;
  clock: { now(): Date };
  sealedBox: SealedBox;
  config: Pick<Config, 'partner' | 'azure' | 'automationSecrets'>;
  arm: ResourceManager;
  tokens: AutomationTokens;
  audit: Pick<AuditLog, 'record'>;
}

export interface RegisterOutcome {
  identity: IdentityView;
  link: AutomationLinkResult;
  /** True when an identity with this tenant and client ID was there already and was updated. */
  updated: boolean;
}

/**
 * Automation identities: register one (tenant, client ID, credential), link it with its own token,
 * replace its credential, remove it. A secret is sealed before it is stored and never returned.
 */
export function createAutomationService(deps: AutomationServiceDeps) {
  const store = createAutomationStore(deps.db);
  const partnerTenant = deps.config.azure.tenantId.toLowerCase();

  const locationOr400 = (locationId: string | undefined) => {
    const locations = deps.config.partner.locations;
    if (!locationId) {
      const fallback = locations.find((l) => l.isDefault) ?? locations[0];
      if (!fallback) throw badRequest('locationId: no partner location is configured');
      return fallback.id;
    }
    if (!locations.some((l) => l.id === locationId)) {
      throw badRequest(
        `locationId: ${locationId} is not one of the partner's locations (${locations.map((l) => l.id).join(', ')})`,
      );
    }
    return locationId;
  };

  /** Turns the credential input into columns, refusing what could never work (a 400, not a verdict later). */
  const credentialColumns = async (id: string, tenantId: string, credential: CredentialInput) => {
    const none = { secret_key_id: null, secret_data: null, secret_env: null, certificate_path: null };
    switch (credential.type) {
      case 'secret': {
        const sealed = deps.sealedBox.seal(credential.secret, secretContext(id));
        return {
          ...none,
          credential_kind: 'secret' as const,
          secret_key_id: sealed.keyId,
          secret_data: sealed.data,
        };
      }
      case 'secret_env':
        if (!deps.config.automationSecrets[credential.variable]) {
          throw badRequest(
            `credential.variable: ${credential.variable} is not set in the service's environment; set it where PAL Manager runs, then register again`,
          );
        }
        return { ...none, credential_kind: 'secret_env' as const, secret_env: credential.variable };
      case 'certificate': {
        const read = await readCertificate(credential.path);
        if (!read.ok) throw badRequest(`credential.path: ${read.message}`);
        return { ...none, credential_kind: 'certificate' as const, certificate_path: credential.path };
      }
      case 'managed_identity':
        if (tenantId !== partnerTenant) {
          throw badRequest(
            `credential: a managed identity (DefaultAzureCredential) is the service's own and lives in the partner's tenant ${partnerTenant}, not in ${tenantId}`,
          );
        }
        return { ...none, credential_kind: 'managed_identity' as const };
    }
  };

  const link = (row: IdentityRow, replaceOtherPartner: boolean) =>
    linkAutomationIdentity(
      {
        tokens: deps.tokens,
        arm: deps.arm,
        store,
        clock: deps.clock,
        partner: {
          globalId: deps.config.partner.globalId,
          locationIds: deps.config.partner.locations.map((l) => l.id),
        },
      },
      { credential: credentialOf(row), locationId: row.location_id },
      { replaceOtherPartner },
    );

  /**
   * Before a new credential replaces one that may be working, it must get a token: a typo must not
   * break an identity that pipelines rely on. Nothing is changed when it fails.
   */
  const provenOr4xx = async (existing: IdentityRow, columns: Partial<IdentityRow>) => {
    const tried = await deps.tokens.token(credentialOf({ ...existing, ...columns }));
    if (tried.ok) return;
    const { failure } = tried;
    const kept = 'the credential it had is kept';
    if (failure.kind === 'transient') {
      throw new AppError(
        'unavailable',
        `The identity platform did not answer when the new credential was tried; ${kept}. Try again shortly. ${failure.message}`,
      );
    }
    throw badRequest(
      `credential: the new credential does not work (${failure.errorCode}); ${kept}. ${failure.message}`,
    );
  };

  const activeOr404 = async (id: string) => {
    const row = await store.get(id);
    if (row?.status !== 'active') throw notFound(`No automation identity ${id}`);
    return row;
  };

  const view = async (id: string) => {
    const row = await activeOr404(id);
    return toView(row, (await store.associationOf(id)) ?? null);
  };

  const auditLink = async (row: IdentityRow, result: AutomationLinkResult, ctx: AuditContext) => {
    await deps.audit.record({
      ...ctx,
      action: result.status === 'failed' ? 'automation_identity.link_failed' : 'automation_identity.linked',
      subjectType: 'automation_identity',
      subjectId: row.id,
      detail: {
        status: result.status,
        tenantId: row.tenant_id,
        clientId: row.client_id,
        ...('partnerId' in result ? { partnerId: result.partnerId } : {}),
        ...('code' in result ? { code: result.code } : {}),
      },
    });
  };

  return {
    /**
     * Registers and links. With `updateExisting` (the CLI's `link-sp`), an identity already registered
     * for this tenant and client gets the new credential instead of a 409.
     */
    async register(
      input: RegisterInput,
      ctx: AuditContext,
      options: { updateExisting?: boolean } = {},
    ): Promise<RegisterOutcome> {
      const locationId = locationOr400(input.locationId);
      const existing = await store.findByClient(input.tenantId, input.clientId);
      if (existing?.status === 'active' && !options.updateExisting) {
        throw conflict(
          `App ${input.clientId} in tenant ${input.tenantId} is registered already (${existing.id}); replace its credential instead`,
        );
      }
      const id = existing?.id ?? randomUUID();
      const columns = await credentialColumns(id, input.tenantId, input.credential);
      if (existing?.status === 'active') await provenOr4xx(existing, columns);
      const now = deps.clock.now().toISOString();
      const common = {
        display_name: input.displayName ?? existing?.display_name ?? `App ${input.clientId}`,
        location_id: locationId,
        lighthouse: input.tenantId === partnerTenant ? 1 : 0,
        status: 'active' as const,
        updated_at: now,
        ...columns,
      };
      if (existing) await store.update(id, common);
      else
        await store.insert({
          id,
          tenant_id: input.tenantId,
          client_id: input.clientId,
          object_id: null,
          created_at: now,
          ...common,
        });
      await deps.audit.record({
        ...ctx,
        action: existing ? 'automation_identity.credential_replaced' : 'automation_identity.registered',
        subjectType: 'automation_identity',
        subjectId: id,
        detail: {
          tenantId: input.tenantId,
          clientId: input.clientId,
          credential: input.credential.type,
          locationId,
        },
      });
      const row = await activeOr404(id);
      const result = await link(row, input.replaceOtherPartner ?? false);
      await auditLink(row, result, ctx);
      return { identity: await view(id), link: result, updated: Boolean(existing) };
    },

    async replaceCredential(
      id: string,
      input: { credential: CredentialInput; replaceOtherPartner?: boolean | undefined },
      ctx: AuditContext,
    ): Promise<{ identity: IdentityView; link: AutomationLinkResult }> {
      const row = await activeOr404(id);
      const columns = await credentialColumns(id, row.tenant_id, input.credential);
      await provenOr4xx(row, columns);
      await store.update(id, { ...columns, updated_at: deps.clock.now().toISOString() });
      await deps.audit.record({
        ...ctx,
        action: 'automation_identity.credential_replaced',
        subjectType: 'automation_identity',
        subjectId: id,
        detail: { credential: input.credential.type },
      });
      const updated = await activeOr404(id);
      const result = await link(updated, input.replaceOtherPartner ?? false);
      await auditLink(updated, result, ctx);
      return { identity: await view(id), link: result };
    },

    async link(
      id: string,
      input: { replaceOtherPartner?: boolean | undefined },
      ctx: AuditContext,
    ): Promise<{ identity: IdentityView; link: AutomationLinkResult }> {
      const row = await activeOr404(id);
      const result = await link(row, input.replaceOtherPartner ?? false);
      await auditLink(row, result, ctx);
      return { identity: await view(id), link: result };
    },

    async list(): Promise<IdentityView[]> {
      return (await store.list()).map(({ identity, association }) => toView(identity, association));
    },

    get: view,

    async remove(id: string, ctx: AuditContext): Promise<void> {
      const row = await activeOr404(id);
      await store.remove(id, deps.clock.now());
      await deps.audit.record({
        ...ctx,
        action: 'automation_identity.removed',
        subjectType: 'automation_identity',
        subjectId: id,
        detail: { tenantId: row.tenant_id, clientId: row.client_id },
      });
    },
  };
}

export type AutomationService = ReturnType<typeof createAutomationService>;
