export type { Config, DatabaseConfig, EncryptionKey } from './schema.ts';
export { parseConfig } from './schema.ts';
