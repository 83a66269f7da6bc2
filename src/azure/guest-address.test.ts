import { describe, expect, it } from 'vitest';
import { guestHomeAddress } from './guest-address.ts';

describe("a guest's home address", () => {
  it('is decoded from the #EXT# user principal name', () => {
    expect(guestHomeAddress('Dana_Contoso.com#EXT#@fabrikam.onmicrosoft.com')).toBe('dana@contoso.com');
  });

  it('keeps underscores that belong to the local part', () => {
    expect(guestHomeAddress('dana_ops_contoso.com#EXT#@fabrikam.onmicrosoft.com')).toBe(
      'dana_ops@contoso.com',
    );
  });

  it('is absent for a member account', () => {
    expect(guestHomeAddress('dana@contoso.com')).toBeUndefined();
  });
});
