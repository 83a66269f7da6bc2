import { describe, expect, it } from 'vitest';
import { admissionOf } from './admission.ts';

const admins = ['alex.admin@contoso.example'];

describe('who may use the console', () => {
  it('admits an address listed in ADMIN_EMAILS, whatever its case', () => {
    expect(admissionOf({ emails: ['Alex.Admin@Contoso.example'], roles: [] }, admins)).toBe('admin_emails');
  });

  it('admits the PAL.Admin app role without a listed address', () => {
    expect(admissionOf({ emails: ['pat@contoso.example'], roles: ['PAL.Admin'] }, admins)).toBe('app_role');
  });

  it('refuses everyone else, including look-alike role names', () => {
    expect(admissionOf({ emails: ['pat@contoso.example'], roles: ['pal.admin', 'PAL.Reader'] }, admins)).toBe(
      undefined,
    );
    expect(admissionOf({ emails: [], roles: [] }, [])).toBe(undefined);
  });
});
