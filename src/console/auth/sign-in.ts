import type { AuditLog } from '../../audit/service.ts';
import type { IdentityPlatform } from '../../azure/identity-platform.ts';
import type { Config } from '../../platform/config/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ConsoleSession, ConsoleSessions } from '../sessions/service.ts';
import { admissionOf } from './admission.ts';
import type { ConsoleSignIns } from './attempts.ts';

export interface ConsoleSignInDeps {
  identity: Pick<IdentityPlatform, 'adminSignInUrl' | 'redeemAdminCode'>;
  signIns: ConsoleSignIns;
  sessions: ConsoleSessions;
  audit: Pick<AuditLog, 'record'>;
  config: Pick<Config, 'adminEmails'>;
  logger: Logger;
}

export interface CallbackInput {
  state: string | undefined;
  code: string | undefined;
  error: string | undefined;
  browserSecret: string | undefined;
  /** The session cookie the browser already had, if any: it is ended, never upgraded. */
  previousSessionId: string | undefined;
  requestId: string;
}

/** Why a sign-in did not end in a session; each has its own sentence on the sign-in page. */
export type SignInProblem = 'cancelled' | 'expired' | 'invalid' | 'failed';

export type CallbackOutcome =
  | { kind: 'signed_in'; session: ConsoleSession; returnTo: string }
  | { kind: 'refused'; email: string }
  | { kind: 'problem'; problem: SignInProblem };

/**
 * The console sign-in: start (a new attempt and Microsoft's URL) and the callback (claim the attempt,
 * redeem the code, decide admission, start a fresh session). Refusals are audited with who tried.
 */
export function createConsoleSignIn(deps: ConsoleSignInDeps) {
  return {
    async start(returnTo: string): Promise<{ url: string; browserSecret: string }> {
      const attempt = await deps.signIns.create(returnTo);
      const url = await deps.identity.adminSignInUrl(attempt);
      return { url, browserSecret: attempt.browserSecret };
    },

    async finish(input: CallbackInput): Promise<CallbackOutcome> {
      if (!input.state) return { kind: 'problem', problem: 'invalid' };
      const claimed = await deps.signIns.claim(input.state, input.browserSecret);
      if (!claimed.ok)
        return { kind: 'problem', problem: claimed.reason === 'expired' ? 'expired' : 'invalid' };
      // Microsoft sends `access_denied` when the person cancels at the account picker.
      if (input.error)
        return { kind: 'problem', problem: input.error === 'access_denied' ? 'cancelled' : 'failed' };
      if (!input.code) return { kind: 'problem', problem: 'invalid' };
      const redeemed = await deps.identity.redeemAdminCode({
        code: input.code,
        codeVerifier: claimed.codeVerifier,
        nonce: claimed.nonce,
        state: input.state,
      });
      if (!redeemed.ok) {
        deps.logger.warn({ failure: redeemed.failure }, 'console sign-in: the code could not be redeemed');
        return { kind: 'problem', problem: 'failed' };
      }
      const account = redeemed.value;
      // The listed address names the session (it is re-checked against ADMIN_EMAILS on every request).
      const listed = account.emails.find((address) => deps.config.adminEmails.includes(address));
      const email = listed ?? account.emails[0] ?? account.objectId;
      const allowedBy = admissionOf(account, deps.config.adminEmails);
      if (!allowedBy) {
        await deps.audit.record({
          actor: `console:${email}`,
          action: 'console.sign_in_refused',
          subjectType: 'admin',
          subjectId: account.objectId,
          detail: { email, tenantId: account.tenantId, roles: account.roles },
          requestId: input.requestId,
        });
        return { kind: 'refused', email };
      }
      const session = await deps.sessions.start(
        {
          email,
          name: account.name ?? null,
          tenantId: account.tenantId,
          objectId: account.objectId,
          allowedBy,
        },
        input.previousSessionId,
      );
      await deps.sessions.purgeExpired();
      await deps.audit.record({
        actor: `console:${email}`,
        action: 'console.signed_in',
        subjectType: 'admin',
        subjectId: account.objectId,
        detail: { allowedBy },
        requestId: input.requestId,
      });
      return { kind: 'signed_in', session, returnTo: claimed.returnTo };
    },
  };
}

export type ConsoleSignIn = ReturnType<typeof createConsoleSignIn>;
