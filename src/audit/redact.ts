/**
 * The audit log is read by every admin and exported; a secret that lands in it is leaked for good.
 * This guard runs on every event's detail, so a careless caller cannot put one there: keys whose
 * words say "secret" are dropped, and so are values shaped like our own bearer tokens.
 * Erring on the side of dropping: a bare `code` may be an OAuth authorization code, so it goes;
 * say what kind of code it is (`errorCode`, `statusCode`) to keep it.
 */
const SECRET_WORDS = new Set([
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'code',
  'codes',
  'verifier',
  'cookie',
  'cookies',
  'authorization',
  'credential',
  'credentials',
  'apikey',
  'jwt',
]);

/** Qualifiers that make a `…Code` key a harmless label rather than a credential. */
const LABEL_CODES = new Set([
  'error',
  'status',
  'http',
  'result',
  'reason',
  'country',
  'language',
  'currency',
]);

/** Invitation links and API tokens: a prefix, then 32 random bytes in base64url. */
const OUR_TOKEN = /\b(?:pal|inv)_[A-Za-z0-9_-]{40,}/;
const BEARER = /^bearer\s/i;

/** Splits `refreshToken`, `client_secret`, `X-Api-Key` into lower-case words. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

export function isSecretKey(key: string): boolean {
  const words = wordsOf(key);
  const secretWord = (word: string, index: number) =>
    SECRET_WORDS.has(word) && !(word === 'code' && LABEL_CODES.has(words[index - 1] ?? ''));
  return words.some(secretWord) || /apikey|privatekey/.test(words.join(''));
}

function isSecretValue(value: unknown): boolean {
  return typeof value === 'string' && (OUR_TOKEN.test(value) || BEARER.test(value));
}

const MAX_DEPTH = 8;

/** A copy of `value` without secret-named keys or token-shaped strings (nested objects and arrays too). */
export function scrubDetail(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    return value.filter((item) => !isSecretValue(item)).map((item) => scrubDetail(item, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    const clean: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretKey(key) || isSecretValue(item) || item === undefined) continue;
      clean[key] = scrubDetail(item, depth + 1);
    }
    return clean;
  }
  return value;
}
