#!/usr/bin/env node
// Runs `node <args>` under a Node ≥ 22, fetching one first if the current Node is older (see
// ensure-node.mjs). Lets `npm start` and `npm test` work on machines whose system Node is 20.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeBinDir } from './ensure-node.mjs';
import { SERVICE_NODE_FLAGS } from './runtime-flags.mjs';

const binDir = ensureNodeBinDir();
const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}` };
// `--service` stands for the service's runtime flags (runtime-flags.mjs): `npm start`, `npm run pal`.
const args = process.argv.slice(2).flatMap((arg) => (arg === '--service' ? SERVICE_NODE_FLAGS : [arg]));
const child = spawn(join(binDir, 'node'), args, { stdio: 'inherit', env });
// Forward termination signals so graceful shutdown works under `npm start`.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
