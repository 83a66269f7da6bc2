import { lstat, readdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OUTBOX_FILE } from '../../mail/outbox-folder.ts';
import { type ParsedMail, parseEml } from './eml.ts';

export interface MailboxEntry {
  file: string;
  /** When the message was written, from its file name: `2026-11-20 09:00:00 UTC`. */
  time: string;
  to: string;
  subject: string;
}

export interface MailboxMessage extends MailboxEntry {
  mail: ParsedMail;
}

/** The newest messages shown; the folder keeps everything, the page does not need to. */
const LIST_LIMIT = 200;
/** Our invitations are a few kilobytes; anything far larger in the folder was not written by us. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Reads the outbox folder for the sandbox mailbox. A file name is only ever used when it matches
 * the outbox naming pattern and resolves to a regular file directly inside the folder: no
 * separators, no `..`, no symbolic links out.
 */
export function createMailboxStore(options: { dir: string }) {
  const root = resolve(options.dir);

  async function load(file: string): Promise<MailboxMessage | undefined> {
    if (!OUTBOX_FILE.test(file)) return undefined;
    const path = resolve(root, file);
    if (dirname(path) !== root) return undefined;
    try {
      const stats = await lstat(path);
      if (!stats.isFile() || stats.size > MAX_FILE_BYTES) return undefined;
      const mail = parseEml(await readFile(path));
      return {
        file,
        time: `${file.slice(0, 10)} ${file.slice(11, 19).replace(/-/g, ':')} UTC`,
        to: mail.header('To') ?? '',
        subject: mail.header('Subject') ?? '',
        mail,
      };
    } catch {
      return undefined; // gone between listing and reading, or unreadable: not a message to show
    }
  }

  return {
    /** Newest first (file names start with the time they were written). */
    async list(): Promise<MailboxEntry[]> {
      let names: string[];
      try {
        names = await readdir(root);
      } catch {
        return []; // nothing has been sent yet, so the folder does not exist
      }
      const newest = names
        .filter((name) => OUTBOX_FILE.test(name))
        .sort()
        .reverse()
        .slice(0, LIST_LIMIT);
      const loaded = await Promise.all(newest.map(load));
      return loaded
        .filter((entry): entry is MailboxMessage => entry !== undefined)
        .map(({ file, time, to, subject }) => ({ file, time, to, subject }));
    },
    read: load,
  };
}

export type MailboxStore = ReturnType<typeof createMailboxStore>;
