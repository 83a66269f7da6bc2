import { describe, expect, it } from 'vitest';
import { ARM_DELEGATED_SCOPE, parseScopes, resolveScopes } from './scopes.ts';

describe('scope resolution', () => {
  it('grants Resource Manager user_impersonation and reports the OpenID extras', () => {
    const grant = resolveScopes(parseScopes(`${ARM_DELEGATED_SCOPE} offline_access openid profile`));
    expect(grant).toMatchObject({
      ok: true,
      resource: 'arm',
      granted: ARM_DELEGATED_SCOPE,
      openid: true,
      offlineAccess: true,
    });
  });

  it('answers /.default (also with the double slash some tools send) with what the app is consented for', () => {
    for (const scope of ['https://management.azure.com/.default', 'https://management.azure.com//.default']) {
      expect(resolveScopes([scope])).toMatchObject({
        ok: true,
        resource: 'arm',
        granted: ARM_DELEGATED_SCOPE,
        isDefault: true,
      });
    }
  });

  it('gives a Graph token when only OpenID scopes are asked for', () => {
    expect(resolveScopes(['openid', 'profile'])).toMatchObject({
      ok: true,
      resource: 'graph',
      offlineAccess: false,
    });
  });

  it('refuses resources the sandbox does not simulate, naming the scope', () => {
    expect(resolveScopes(['https://graph.microsoft.com/User.Read', 'openid'])).toEqual({
      ok: false,
      invalidScope: 'https://graph.microsoft.com/User.Read',
    });
    expect(resolveScopes(['https://management.azure.com/write_everything'])).toMatchObject({ ok: false });
  });

  it('splits on any whitespace and drops duplicates', () => {
    expect(parseScopes(' openid\topenid  profile ')).toEqual(['openid', 'profile']);
    expect(parseScopes(undefined)).toEqual([]);
  });
});
