/**
 * Child processes of `npm run bench:health`: the sandbox (long-lived, answers commands on stdin),
 * the setup and each measured run (one JSON document in, one JSON line out). Every child has a
 * deadline and is killed by its own PID when it overruns or when the benchmark exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const children = new Set<ChildProcess>();

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Kills every child still running; called on exit, on a signal and on the global deadline. */
export function killChildren(): void {
  for (const child of children) kill(child);
}
process.once('exit', killChildren);

/** Same Node, same flags (type stripping on older 22.x), loopback only. */
function node(file: string, args: string[], nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...process.execArgv, ...nodeArgs, script(file), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface SandboxProcess<Ready> {
  ready: Ready;
  pid: number;
  command<T>(cmd: string, input?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Starts the sandbox process and waits for its first line (URL, CA, secret, seeded world). */
export async function startSandboxProcess<Ready>(
  args: string[],
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<SandboxProcess<Ready>> {
  const child = node('./health-sandbox.ts', args, nodeArgs);
  const lines = createInterface({ input: child.stdout! });
  const pending = new Map<number, (answer: { ok: boolean; result?: unknown; error?: string }) => void>();
  let first: ((line: string) => void) | undefined;
  lines.on('line', (line) => {
    if (first) {
      const take = first;
      first = undefined;
      take(line);
      return;
    }
    const answer = JSON.parse(line) as { id: number; ok: boolean; result?: unknown; error?: string };
    pending.get(answer.id)?.(answer);
    pending.delete(answer.id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`sandbox: not ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('exit', (code, signal) => reject(new Error(`sandbox: exited with ${signal ?? code}`)));
    first = (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Ready);
    };
  });
  let next = 1;
  return {
    ready,
    pid: child.pid!,
    command<T>(cmd: string, input: Record<string, unknown> = {}, commandTimeoutMs = 60_000) {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`sandbox: no answer to ${cmd} within ${commandTimeoutMs / 1000} s`));
        }, commandTimeoutMs);
        pending.set(id, (answer) => {
          clearTimeout(timer);
          if (answer.ok) resolve(answer.result as T);
          else reject(new Error(`sandbox: ${cmd}: ${answer.error}`));
        });
        child.stdin!.write(`${JSON.stringify({ id, cmd, ...input })}\n`);
      });
    },
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => kill(child), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `file` with `input` as JSON on stdin; resolves with its last stdout line, parsed. */
export function runJsonChild<T>(
  file: string,
  input: unknown,
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<T> {
  const child = node(file, [], nodeArgs);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stdin!.end(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`${file}: killed after ${timeoutMs / 1000} s (raise --timeout)`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.trim().split('\n');
      const last = lines.pop();
      // Anything else the child printed (e.g. `--trace-gc` in --node-flags) goes to stderr.
      if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
      if (code === 0 && last) resolve(JSON.parse(last) as T);
      else reject(new Error(`${file}: exited with ${signal ?? code}`));
    });
  });
}

/**
 * Starts `file` with `input` as one JSON line on stdin and waits for it to print `ready`; `stop()`
 * closes its stdin (its cue to finish) and waits for it to exit.
 */
export async function startWorkerChild(
  file: string,
  input: unknown,
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<{ stop(): Promise<void> }> {
  const child = node(file, [], nodeArgs);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin!.write(`${JSON.stringify(input)}\n`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`${file}: not ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes('ready')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`${file}: exited with ${signal ?? code}`)));
  });
  return {
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => kill(child), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
