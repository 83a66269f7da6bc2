import { describe, expect, it } from 'vitest';
import { checkCustomerTenants, defaultDisplayName, resolveLocation } from './rules.ts';

const partner = {
  globalId: '4471230',
  locations: [
    { id: '4471231', label: 'Contoso United Kingdom', isDefault: true },
    { id: '4471232', label: 'Contoso Germany', isDefault: false },
  ],
};

describe('resolveLocation', () => {
  it('puts a consultant without a location in the default one', () => {
    expect(resolveLocation(undefined, partner)).toEqual({ ok: true, value: partner.locations[0] });
  });

  it('accepts any of the partner’s location IDs, ignoring surrounding spaces', () => {
    expect(resolveLocation(' 4471232 ', partner)).toEqual({ ok: true, value: partner.locations[1] });
  });

  it('refuses the global ID, naming it as the PGA and listing the PLAs', () => {
    expect(resolveLocation('4471230', partner)).toEqual({
      ok: false,
      message:
        "4471230 is the partner's global ID (PGA); PAL needs a location ID (PLA): one of 4471231, 4471232",
    });
  });

  it('refuses a well-formed ID of someone else, listing ours with their labels', () => {
    const result = resolveLocation('1234567', partner);
    expect(result).toEqual({
      ok: false,
      message:
        '"1234567" is not one of the partner\'s location IDs; use one of 4471231 (Contoso United Kingdom), 4471232 (Contoso Germany)',
    });
  });

  it('says so when the value is not shaped like a partner ID at all', () => {
    const result = resolveLocation('Contoso UK', partner);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^"Contoso UK" is not a location ID \(4 to 10 digits\)/);
  });
});

describe('checkCustomerTenants', () => {
  const own = '7A1F3C52-0D4E-4B8A-9C61-2F5E8D3B4A10';

  it("refuses the partner's own tenant whatever its case", () => {
    const result = checkCustomerTenants([own.toLowerCase()], own);
    expect(result.ok).toBe(false);
  });

  it('passes customer tenants through', () => {
    const tenants = ['3c1f9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'];
    expect(checkCustomerTenants(tenants, own)).toEqual({ ok: true, value: tenants });
  });
});

describe('defaultDisplayName', () => {
  it('is the mailbox part of the address', () => {
    expect(defaultDisplayName('ada.lovelace@contoso.example')).toBe('ada.lovelace');
    expect(defaultDisplayName('"a@b"@contoso.example')).toBe('"a@b"');
  });
});
