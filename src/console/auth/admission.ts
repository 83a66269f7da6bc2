import type { AdminAccount } from '../../azure/identity-platform.ts';

/** The app role that admits someone to the console without being listed in `ADMIN_EMAILS`. */
export const ADMIN_APP_ROLE = 'PAL.Admin';

/**
 * Why an account signed in at the partner's tenant may use the console, or undefined when it may not.
 * The authority is the partner's own tenant, so only people that tenant admits get this far; the
 * partner's directory vouches for their sign-in names.
 */
export function admissionOf(
  account: Pick<AdminAccount, 'emails' | 'roles'>,
  adminEmails: readonly string[],
): 'admin_emails' | 'app_role' | undefined {
  const listed = new Set(adminEmails.map((email) => email.toLowerCase()));
  if (account.emails.some((email) => listed.has(email.toLowerCase()))) return 'admin_emails';
  if (account.roles.includes(ADMIN_APP_ROLE)) return 'app_role';
  return undefined;
}
