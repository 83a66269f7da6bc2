/**
 * Control characters (CR and LF included), line/paragraph separators and bidirectional overrides.
 * Names typed by admins end up in mail headers and pages: a CR LF there would inject a header, a
 * bidi override would make a name display as something it is not.
 */
const UNSAFE_IN_ONE_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]+/gu;

/** One line of plain text: unsafe characters become spaces, runs of whitespace collapse, ends are trimmed. */
export function toSingleLine(text: string): string {
  return text.replace(UNSAFE_IN_ONE_LINE, ' ').replace(/\s+/g, ' ').trim();
}
