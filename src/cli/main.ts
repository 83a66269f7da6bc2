import { Command, Option } from 'commander';
import { sendDueReminders } from '../jobs/background.ts';
import { loadConfigOrExit } from '../platform/config/load.ts';
import { check } from './check.ts';
import { withCliDeps } from './context.ts';
import { invite } from './invite.ts';
import { type LinkSpOptions, linkSp, listSp } from './link-sp.ts';
import { migrateToPostgres } from './migrate-to-postgres.ts';
import { sandboxSeed } from './sandbox-seed.ts';

/** `npm run pal -- <command>`: the admin's command line, on the same composition root as the server. */
const program = new Command('pal').description('PAL Manager command line').showHelpAfterError();

program
  .command('invite')
  .description('issue invitation links and mail them (progress bar, then a summary)')
  .addOption(new Option('--all', 'every active consultant not yet linked').conflicts(['email', 'csv']))
  .option('--include-linked', 'with --all: also consultants who are already linked')
  .option('--email <address...>', 'consultants by email address')
  .option('--csv <file>', 'consultants listed in a roster CSV (its email column)')
  .option('--tenant <tenantId>', 'scope the links to one customer tenant')
  .option('--no-send', 'print the links instead of mailing them')
  .action(
    async (options: {
      all?: boolean;
      includeLinked?: boolean;
      email?: string[];
      csv?: string;
      tenant?: string;
      send: boolean;
    }) => {
      if (!options.all && !options.email && !options.csv)
        program.error('say whom to invite: --all, --email or --csv');
      process.exitCode = await withCliDeps((deps) =>
        invite(
          deps,
          {
            send: options.send,
            ...(options.all ? { all: true } : {}),
            ...(options.includeLinked ? { includeLinked: true } : {}),
            ...(options.email ? { emails: options.email } : {}),
            ...(options.csv ? { csv: options.csv } : {}),
            ...(options.tenant ? { tenant: options.tenant } : {}),
          },
          process.stdout,
        ),
      );
    },
  );

program
  .command('remind')
  .description('queue reminders for invitations not completed after REMINDER_AFTER_DAYS')
  .action(async () => {
    await withCliDeps(async (deps) => {
      const queued = await sendDueReminders(deps);
      process.stdout.write(`${queued.count} reminders queued; the server sends them.\n`);
    });
  });

program
  .command('check')
  .description('run the PAL health check now (progress bar, then a summary by verdict)')
  .action(async () => {
    process.exitCode = await withCliDeps((deps) => check(deps, process.stdout));
  });

program
  .command('link-sp')
  .description(
    'register a service principal or managed identity and set PAL with its own token (the secret comes from an environment variable)',
  )
  .requiredOption(
    '--tenant <tenantId>',
    'the tenant the identity signs in to (the partner tenant for Lighthouse)',
  )
  .requiredOption('--client-id <clientId>', "the app's client (application) ID")
  .option(
    '--secret-env <VAR>',
    'read the client secret from this variable now; PAL Manager stores it encrypted',
  )
  .option(
    '--service-env <PAL_SP_VAR>',
    'PAL Manager reads the secret from this variable of its own environment',
  )
  .option('--certificate <file>', 'a PEM file with the private key and certificate, read by PAL Manager')
  .option(
    '--managed-identity',
    "the service's own managed identity / DefaultAzureCredential (partner tenant)",
  )
  .option('--name <displayName>', 'a name for lists and findings')
  .option('--location <locationId>', 'the partner location ID to link (default: the default location)')
  .option('--replace-other-partner', "replace another partner's ID if the identity is linked to one")
  .action(async (options: LinkSpOptions) => {
    process.exitCode = await withCliDeps((deps) =>
      linkSp(deps, options, { out: process.stdout, environment: process.env }),
    );
  });

program
  .command('list-sp')
  .description('list automation identities with their PAL link and latest verdict')
  .action(async () => {
    process.exitCode = await withCliDeps((deps) => listSp(deps, process.stdout));
  });

program
  .command('sandbox-seed')
  .description('sandbox only: add consultants who have already linked (to try the health check at size)')
  .option('--consultants <n>', 'how many', '100')
  .option('--tenants <n>', 'new customer tenants each of them works in', '3')
  .option('--subscriptions <n>', 'subscriptions per tenant with Contributor', '2')
  .action(async (options: { consultants: string; tenants: string; subscriptions: string }) => {
    const count = (value: string, name: string, max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > max)
        program.error(`--${name}: a whole number from 1 to ${max}`);
      return n;
    };
    const seed = {
      consultants: count(options.consultants, 'consultants', 10_000),
      tenants: count(options.tenants, 'tenants', 20),
      subscriptions: count(options.subscriptions, 'subscriptions', 10),
    };
    process.exitCode = await withCliDeps((deps) => sandboxSeed(deps, seed, process.stdout));
  });

program
  .command('migrate-to-postgres')
  .description('copy the embedded SQLite database into PostgreSQL, then compare row counts (safe to repeat)')
  .requiredOption('--to <url>', 'the PostgreSQL database: postgres://user:password@host:5432/db')
  .option('--from <url>', 'the SQLite database to copy, sqlite:<file> (default: DATABASE_URL)')
  .option('--ca <file>', "the PostgreSQL server's CA certificate (PEM), for sslmode=verify-full")
  .action(async (options: { to: string; from?: string; ca?: string }) => {
    process.exitCode = await migrateToPostgres(
      { to: options.to, from: options.from, ca: options.ca },
      () => loadConfigOrExit('pal').database,
      process.stdout,
    );
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`pal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
