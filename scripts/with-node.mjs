#!/usr/bin/env node
// Runs `node <args>` under a Node ≥ 22, fetching one first if the current Node is older (see
// ensure-node.mjs). Lets `npm start` and `npm test` work on machines whose system Node is 20.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeBinDir } from './ensure-node.mjs';

const binDir = ensureNodeBinDir();
const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}` };
const child = spawn(join(binDir, 'node'), process.argv.slice(2), { stdio: 'inherit', env });
// Forward termination signals so graceful shutdown works under `npm start`.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
