/**
 * Child processes of `npm run bench:send`: the SMTP sink and one contender at a time. Each gets a
 * deadline and is killed (by its own PID) when it overruns, so a stuck run cannot hang the benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ContenderKind, ContenderResult } from './contenders.ts';

export interface SinkStats {
  messages: number;
  bytes: number;
  connections: number;
  distinctLinks: number;
  withoutLink: number;
}

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** Same Node and flags as the runner (type stripping on older 22.x), plus any given for this child. */
function node(file: string, args: string[], flags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, ...flags, file, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export interface Sink {
  port: number;
  stats(): Promise<SinkStats>;
  stop(): Promise<void>;
}

/** Starts a fresh sink and waits for the port it prints first. */
export async function startSink(options: { greetingPause: boolean; acceptDelayMs?: number }): Promise<Sink> {
  const child = node(script('./smtp-sink.ts'), [
    ...(options.greetingPause ? [] : ['--no-greeting-pause']),
    ...(options.acceptDelayMs ? ['--accept-delay-ms', String(options.acceptDelayMs)] : []),
  ]);
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = (what: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`smtp sink: no ${what} within 10 s`)), 10_000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  let port: number;
  try {
    port = Number(await nextLine('port'));
  } catch (error) {
    kill(child);
    throw error;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    async stats() {
      const answer = nextLine('stats');
      child.stdin!.write('stats\n');
      return JSON.parse(await answer) as SinkStats;
    },
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => kill(child), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface RunOptions {
  timeoutMs: number;
  /** V8/Node flags for the contender's process only (e.g. `--max-semi-space-size=16`). */
  nodeFlags: string[];
  /** PostgreSQL for `ours` instead of a fresh SQLite file (a fresh schema in it per run). */
  databaseUrl?: string | undefined;
  /** Sender processes for `ours` (more than one needs PostgreSQL). */
  workers?: number;
}

/** Runs one contender in its own process; rejects on a failure or when it overruns the timeout. */
export function runContender(
  kind: ContenderKind,
  port: number,
  count: number,
  { timeoutMs, nodeFlags, databaseUrl, workers = 1 }: RunOptions,
): Promise<ContenderResult> {
  const args = [kind, '--port', String(port), '--count', String(count), '--workers', String(workers)];
  if (databaseUrl) args.push('--database-url', databaseUrl);
  const child = node(script('./contenders.ts'), args, nodeFlags);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`${kind}: killed after ${timeoutMs / 1000} s (raise --timeout)`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1);
      if (code === 0 && last) resolve(JSON.parse(last) as ContenderResult);
      else reject(new Error(`${kind}: exited with ${signal ?? code}`));
    });
  });
}
