import { createHash } from 'node:crypto';
import type { EncryptionKey, PostgresConfig, PostgresSslMode } from './schema.ts';

/**
 * Parsers for the values that pack several things into one variable: the database URL and the list of
 * encryption keys. Each returns the parsed value or one sentence saying what is wrong.
 */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | Omit<PostgresConfig, 'poolSize' | 'caPath'>;

/** Returns the parsed database target, or a sentence saying what is wrong (without echoing credentials). */
export function parseDatabaseUrl(raw: string): DatabaseTarget | string {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return file ? { kind: 'sqlite', file } : 'sqlite: needs a file, e.g. sqlite:data/pal-manager.db';
  }
  if (/^postgres(ql)?:\/\//.test(raw)) return parsePostgresUrl(raw);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(raw)?.[0] ?? raw.slice(0, 20);
  return `use sqlite:<file> or postgres://user@host/db (got ${JSON.stringify(scheme)}…)`;
}

const SSL_MODES: readonly string[] = ['disable', 'require', 'verify-ca', 'verify-full'];

/**
 * Takes `sslmode` and `schema` out of the URL: pg would read `sslmode` its own way (treating `require`
 * as `verify-full`, with a warning), and `schema` is ours. Certificate files go in DATABASE_CA_PATH,
 * not in the URL, so they are read in one place.
 */
function parsePostgresUrl(raw: string): DatabaseTarget | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid postgres:// URL';
  }
  const sslMode = url.searchParams.get('sslmode') ?? 'disable';
  if (!SSL_MODES.includes(sslMode))
    return `sslmode=${sslMode} is not supported: use disable, require, verify-ca or verify-full`;
  for (const key of ['sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']) {
    if (url.searchParams.has(key))
      return `${key} in the URL is not supported: use sslmode=… and DATABASE_CA_PATH for the server's CA`;
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    return 'schema= must be a lower-case name (letters, digits, _)';
  url.searchParams.delete('sslmode');
  url.searchParams.delete('schema');
  return { kind: 'postgres', url: url.toString(), sslMode: sslMode as PostgresSslMode, schema };
}

/**
 * `base64` or `keyId:base64`, comma-separated; the first encrypts. Without an explicit ID a key is
 * named after its own fingerprint, so the same key always gets the same ID.
 */
export function parseEncryptionKeys(raw: string): EncryptionKey[] | string {
  const keys: EncryptionKey[] = [];
  for (const entry of raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? undefined : entry.slice(0, colon);
    const encoded = colon === -1 ? entry : entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
      return 'each key must be 32 bytes in base64 (openssl rand -base64 32)';
    }
    if (id !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(id))
      return `key ID ${JSON.stringify(id)} must be 1–32 letters, digits, - or _`;
    keys.push({ id: id ?? keyFingerprint(key), key });
  }
  return keys.length > 0 ? keys : 'give at least one key';
}

export function keyFingerprint(key: Buffer): string {
  return `k${createHashHex(key).slice(0, 8)}`;
}

function createHashHex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
