import { createAutomation } from '../automation/index.ts';
import type { CredentialInput } from '../automation/model.ts';
import { registerSchema } from '../automation/schemas.ts';
import type { IdentityView } from '../automation/view.ts';
import type { Deps } from '../deps.ts';
import { validate } from '../platform/http/validate.ts';

export interface LinkSpOptions {
  tenant: string;
  clientId: string;
  name?: string | undefined;
  location?: string | undefined;
  /** Read the secret from this variable of the CLI's environment now; the service keeps it sealed. */
  secretEnv?: string | undefined;
  /** The service reads the secret from this PAL_SP_* variable of its own environment at each use. */
  serviceEnv?: string | undefined;
  certificate?: string | undefined;
  managedIdentity?: boolean | undefined;
  replaceOtherPartner?: boolean | undefined;
}

/** Which credential the options name: exactly one, or a readable refusal. */
export function credentialFromOptions(
  options: LinkSpOptions,
  environment: Record<string, string | undefined>,
): CredentialInput {
  const given = [options.secretEnv, options.serviceEnv, options.certificate, options.managedIdentity].filter(
    Boolean,
  );
  if (given.length !== 1) {
    throw new Error(
      'give exactly one credential: --secret-env <VAR>, --service-env <PAL_SP_VAR>, --certificate <pem file> or --managed-identity',
    );
  }
  if (options.secretEnv) {
    const secret = environment[options.secretEnv];
    if (!secret) throw new Error(`--secret-env: the environment variable ${options.secretEnv} is not set`);
    return { type: 'secret', secret };
  }
  if (options.serviceEnv) return { type: 'secret_env', variable: options.serviceEnv };
  if (options.certificate) return { type: 'certificate', path: options.certificate };
  return { type: 'managed_identity' };
}

/**
 * `pal link-sp`: registers an automation identity (or gives an already registered one its new
 * credential) and links it with its own token, then prints what happened. The secret never appears
 * on the command line: it comes from an environment variable. Exit code 1 unless it is linked.
 */
export async function linkSp(
  deps: Deps,
  options: LinkSpOptions,
  io: { out: NodeJS.WritableStream; environment: Record<string, string | undefined> },
): Promise<number> {
  const input = validate(
    registerSchema,
    {
      tenantId: options.tenant,
      clientId: options.clientId,
      credential: credentialFromOptions(options, io.environment),
      ...(options.name ? { displayName: options.name } : {}),
      ...(options.location ? { locationId: options.location } : {}),
      ...(options.replaceOtherPartner ? { replaceOtherPartner: true } : {}),
    },
    'options',
  );
  const automation = createAutomation(deps);
  const outcome = await automation.register(input, { actor: 'cli' }, { updateExisting: true });
  const { identity, link } = outcome;
  io.out.write(
    `${outcome.updated ? 'Updated' : 'Registered'} ${identity.displayName} (${identity.id}): app ${identity.clientId} in tenant ${identity.tenantId}, credential ${identity.credential.type}${identity.lighthouse ? ', Lighthouse (partner tenant)' : ''}.\n`,
  );
  if (link.status === 'failed') {
    io.out.write(`Not linked (${link.code}; verdict ${link.verdict}): ${link.message}\n`);
    return 1;
  }
  if (link.status === 'needs_confirmation') {
    io.out.write(`Not linked: ${link.message}\n`);
    return 1;
  }
  io.out.write(`${link.message} Object ID ${link.objectId}.\n`);
  return 0;
}

/** `pal list-sp`: the registered identities and what the health check last said of each. */
export async function listSp(deps: Deps, out: NodeJS.WritableStream): Promise<number> {
  const identities = await createAutomation(deps).list();
  if (identities.length === 0) {
    out.write('No automation identities registered. Add one with: npm run pal -- link-sp --help\n');
    return 0;
  }
  for (const identity of identities) out.write(line(identity));
  return 0;
}

function line(identity: IdentityView): string {
  const a = identity.association;
  const state = !a
    ? 'not linked'
    : `linked to ${a.partnerId}, verdict ${a.verdict ?? 'not checked yet'}${a.stale ? ' (stale)' : ''}`;
  const evidence = (a?.evidence ?? {}) as { errorCode?: string; message?: string };
  const why = a?.verdict && a.verdict !== 'healthy' && evidence.message ? `\n    ${evidence.message}` : '';
  return `  ${identity.displayName}  app ${identity.clientId}  tenant ${identity.tenantId}  [${identity.credential.type}]: ${state}${why}\n`;
}
