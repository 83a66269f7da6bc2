export type { Config, DatabaseConfig, EncryptionKey, PostgresConfig } from './schema.ts';
export { parseConfig, parseDatabaseUrl } from './schema.ts';
