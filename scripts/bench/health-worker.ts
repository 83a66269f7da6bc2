/**
 * Another instance of the service for `npm run bench:health -- --workers 2`: builds the service's deps
 * against the sandbox and the shared PostgreSQL database and works health-check jobs, as a server
 * instance does, until its stdin closes. Reads its input as one JSON line on stdin; prints `ready`.
 */
import { createInterface } from 'node:readline';
import { closeDeps } from '../../src/deps.ts';
import { startHealthWorker } from '../../src/health/index.ts';
import type { RunInput } from './health-run.ts';
import { buildBenchDeps } from './health-service.ts';

const lines = createInterface({ input: process.stdin });
const first = await new Promise<string>((resolve) => lines.once('line', resolve));
const input = JSON.parse(first) as RunInput;
const deps = await buildBenchDeps(input);
startHealthWorker(deps);
process.stdout.write('ready\n');
await new Promise((resolve) => lines.once('close', resolve));
await closeDeps(deps);
process.exit(0);
