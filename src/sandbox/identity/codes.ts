import { randomBytes } from 'node:crypto';

export const CODE_LIFETIME_MS = 10 * 60_000;
/** Redeemed and expired codes are remembered this long so a replay gets 54005/70008, not "unknown". */
const REMEMBER_MS = 60 * 60_000;

/** Everything an authorization code stands for, fixed at the moment the account was picked. */
export interface AuthorizationGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  userId: string;
  /** The tenant the tokens are for: the home tenant via organizations/common, else the named one. */
  tenantId: string;
  scopes: string[];
  issuedAt: Date;
}

export type Redemption =
  | { ok: true; grant: AuthorizationGrant }
  | { ok: false; reason: 'unknown' | 'redeemed' | 'expired' };

export interface CodeStore {
  issue(grant: AuthorizationGrant): string;
  /** Single use: the first attempt consumes the code, whatever happens to the rest of the request. */
  redeem(code: string, now: Date): Redemption;
}

export function createCodeStore(): CodeStore {
  const codes = new Map<string, { grant: AuthorizationGrant; redeemed: boolean }>();
  const prune = (now: number) => {
    for (const [code, entry] of codes) {
      if (now - entry.grant.issuedAt.getTime() > REMEMBER_MS) codes.delete(code);
    }
  };
  return {
    issue(grant) {
      prune(grant.issuedAt.getTime());
      const code = `sbx.${randomBytes(32).toString('base64url')}`;
      codes.set(code, { grant, redeemed: false });
      return code;
    },
    redeem(code, now) {
      const entry = codes.get(code);
      if (!entry) return { ok: false, reason: 'unknown' };
      if (entry.redeemed) return { ok: false, reason: 'redeemed' };
      entry.redeemed = true;
      if (now.getTime() - entry.grant.issuedAt.getTime() > CODE_LIFETIME_MS)
        return { ok: false, reason: 'expired' };
      return { ok: true, grant: entry.grant };
    },
  };
}

/** One store per running sandbox: codes live in memory only, like a browser session would. */
const stores = new WeakMap<object, CodeStore>();

export function codeStoreFor(owner: object): CodeStore {
  let store = stores.get(owner);
  if (!store) {
    store = createCodeStore();
    stores.set(owner, store);
  }
  return store;
}
