/**
 * Bytes → text for the roster import. Only UTF-8 is read: guessing a legacy code page would turn
 * "Müller" into "MÃ¼ller" without anyone noticing, so a file in another encoding is refused with the
 * way to fix it (every spreadsheet app can save "CSV UTF-8").
 */

export type Decoded = { ok: true; text: string } | { ok: false; message: string };

const SAVE_AS_UTF8 = 'save it as "CSV UTF-8 (Comma delimited)" and import that file';

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** UTF-16 without a BOM: ASCII text then has a NUL in every other byte. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  if (sample.length < 4) return false;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenNuls += 1;
      else oddNuls += 1;
    }
  }
  const half = sample.length / 2;
  return evenNuls > half * 0.6 || oddNuls > half * 0.6;
}

export function decodeCsv(bytes: Uint8Array): Decoded {
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff) || looksLikeUtf16(bytes)) {
    return { ok: false, message: `The CSV is UTF-16 text (Excel's "Unicode text"); ${SAVE_AS_UTF8}` };
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) || startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    return { ok: false, message: `This is a spreadsheet workbook (.xlsx or .xls), not CSV; ${SAVE_AS_UTF8}` };
  }
  // No text format we read contains NUL; a binary file almost always does.
  if (bytes.includes(0)) {
    return { ok: false, message: `The body is binary data, not CSV text; ${SAVE_AS_UTF8}` };
  }
  try {
    // `fatal` refuses invalid sequences instead of replacing them; the BOM is dropped.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return {
      ok: false,
      message: `The CSV is not valid UTF-8 (perhaps Windows-1252 or another legacy encoding); ${SAVE_AS_UTF8}`,
    };
  }
}
