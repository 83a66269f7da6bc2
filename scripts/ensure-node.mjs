#!/usr/bin/env node
// Finds a Node.js ≥ 22 for this project. The machines we target ship Node 20, which cannot run
// better-sqlite3 13 or vitest; rather than asking people to install a toolchain by hand, we fetch the
// official Node 24 binary from the npm registry package `node-linux-<arch>` into a user cache.
// Plain JavaScript on purpose: it must run on the old Node it replaces.
// Usage as a script: prints the folder holding a suitable `node` binary.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const MIN_MAJOR = 22;
const BOOTSTRAP_MAJOR = 24;

export function isSuitable(version = process.versions.node) {
  return Number(version.split('.')[0]) >= MIN_MAJOR;
}

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'pal-manager', `node-v${BOOTSTRAP_MAJOR}-${process.platform}-${process.arch}`);
}

/** Returns the bin folder of a Node ≥ 22: the running one if suitable, else a cached or fetched Node 24. */
export function ensureNodeBinDir() {
  if (isSuitable()) return join(process.execPath, '..');
  const dir = cacheDir();
  const bin = join(dir, 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  if (process.platform !== 'linux') {
    throw new Error(`Node ${process.versions.node} is too old; install Node ${MIN_MAJOR} or newer.`);
  }
  const pkg = `node-linux-${process.arch}@${BOOTSTRAP_MAJOR}`;
  process.stderr.write(
    `Node ${process.versions.node} is older than ${MIN_MAJOR}; fetching ${pkg} from the npm registry…\n`,
  );
  const work = mkdtempSync(join(tmpdir(), 'pal-node-'));
  try {
    execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', work], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${pkg} produced no tarball`);
    const unpacked = join(work, 'node');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);
    mkdirSync(join(dir, '..'), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${ensureNodeBinDir()}\n`);
}
