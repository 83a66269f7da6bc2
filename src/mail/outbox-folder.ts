import { join } from 'node:path';

/**
 * The layout of the outbox folder, shared by the adapter that writes it and the sandbox mailbox that
 * reads it: `<dataDir>/outbox/<time>-<message ID>.eml`, one RFC 822 message per file.
 */
export function outboxDir(dataDir: string): string {
  return join(dataDir, 'outbox');
}

/**
 * `2026-11-20T09-00-00.000Z-inv_42.eml`: ISO 8601 time with `-` for `:` (valid on every file
 * system, and names sort by time), then the message ID reduced to safe characters. Nothing else in
 * the folder is a message; in-progress writes start with a dot.
 */
export const OUTBOX_FILE =
  /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.eml$/;

export function outboxFileName(at: Date, messageId: string): string {
  const time = at.toISOString().replace(/:/g, '-');
  const safeId = messageId
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '_');
  return `${time}-${safeId}.eml`;
}
