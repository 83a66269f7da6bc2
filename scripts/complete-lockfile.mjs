#!/usr/bin/env node
// Our npm registry mirror serves only the linux-x64 builds of packages that ship one binary package per
// platform (Biome). npm then leaves the other platforms' optional packages out of package-lock.json, and
// `npm ci` refuses the lock as out of sync. This adds those entries back, marked optional with their
// os/cpu, so npm skips them here and fetches them on the platforms that need them.
// Run after `npm install` changes the lock: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(android|darwin|linux|win32)-(arm64|x64)(-musl)?$/;
const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const entry of Object.values(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const match = PLATFORM.exec(name);
    const key = `node_modules/${name}`;
    if (!match || packages[key]) continue;
    const [, os, cpu, musl] = match;
    packages[key] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      ...(os === 'linux' ? { libc: [musl ? 'musl' : 'glibc'] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entr${added === 1 ? 'y' : 'ies'} added`);
