/**
 * A small reader for the `.eml` files our outbox adapter writes (nodemailer's output): headers with
 * RFC 2047 encoded words, multipart/alternative with quoted-printable or base64 UTF-8 parts. It is
 * not a general MIME parser; it only has to read back what we wrote.
 */
export interface ParsedMail {
  headers: Array<{ name: string; value: string }>;
  header(name: string): string | undefined;
  text: string | undefined;
  html: string | undefined;
}

interface Part {
  headers: Array<{ name: string; value: string }>;
  body: string;
}

export function parseEml(raw: Buffer): ParsedMail {
  // latin1 keeps one character per byte, so decoded bodies can be turned back into UTF-8 bytes.
  const root = splitPart(raw.toString('latin1'));
  const leaves: Array<{ type: string; content: string }> = [];
  collect(root, leaves, 0);
  const headers = root.headers.map((h) => ({ name: h.name, value: decodeWords(h.value) }));
  return {
    headers,
    header: (name) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value,
    text: leaves.find((leaf) => leaf.type === 'text/plain')?.content,
    html: leaves.find((leaf) => leaf.type === 'text/html')?.content,
  };
}

function splitPart(source: string): Part {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : '';
  const headers: Part['headers'] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`; // unfold a continuation line
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { headers, body };
}

function headerOf(part: Part, name: string): string {
  return part.headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
}

function collect(part: Part, leaves: Array<{ type: string; content: string }>, depth: number): void {
  const contentType = headerOf(part, 'content-type') || 'text/plain';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary || depth > 5) return;
    const sections = part.body.split(`--${boundary}`);
    // sections[0] is the preamble; the last one starts with "--" (the closing delimiter).
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      collect(splitPart(section.replace(/^\r?\n/, '')), leaves, depth + 1);
    }
    return;
  }
  const encoding = headerOf(part, 'content-transfer-encoding').toLowerCase();
  const body = part.body.replace(/\r?\n$/, '');
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, 'latin1');
  leaves.push({ type, content: bytes.toString('utf8').replace(/\r\n/g, '\n') });
}

function decodeQuotedPrintable(body: string): Buffer {
  const softBreaksRemoved = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < softBreaksRemoved.length; i += 1) {
    const char = softBreaksRemoved[i] as string;
    const hex = softBreaksRemoved.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(char.charCodeAt(0) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=` words; the whitespace between two encoded words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_whole, _charset: string, kind: string, text: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return bytes.toString('utf8');
    });
}
