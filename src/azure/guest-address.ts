/**
 * A B2B guest's user principal name in a customer tenant encodes the home address:
 * `dana_contoso.com#EXT#@fabrikam.onmicrosoft.com` → `dana@contoso.com`. The last underscore before
 * `#EXT#` stands for the `@` (local parts may contain underscores themselves).
 */
export function guestHomeAddress(upn: string): string | undefined {
  const match = /^(.+)#EXT#@/i.exec(upn);
  if (!match?.[1]) return undefined;
  const encoded = match[1];
  const at = encoded.lastIndexOf('_');
  if (at <= 0 || at === encoded.length - 1) return undefined;
  return `${encoded.slice(0, at)}@${encoded.slice(at + 1)}`.toLowerCase();
}
