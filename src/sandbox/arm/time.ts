/**
 * Resource Manager writes times as .NET round-trip strings: seven fractional digits and `Z`
 * (`2018-02-11T22:18:03.2858169Z`). A JavaScript Date holds milliseconds, so the last four digits
 * of a time the sandbox makes are zeros; times already stored in the world are sent verbatim.
 */
export function armTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** Reformats a stored ISO time to ARM's seven digits, leaving one that already has them alone. */
export function toArmTime(iso: string): string {
  if (/\.\d{7}Z$/.test(iso)) return iso;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : armTime(at);
}
