import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A scenario's child process on this Node with this process's flags: its input as JSON on stdin, its
 * last stdout line as the result, stderr passed through. The caller may kill it (SIGKILL scenarios):
 * `output` then rejects, and nobody has to listen.
 */
export function jsonChild(
  file: string,
  input: unknown,
  label = file,
): { process: ChildProcess; output: Promise<string> } {
  const proc = spawn(process.execPath, [...process.execArgv, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  proc.stdin!.end(JSON.stringify(input));
  const output = new Promise<string>((resolve, reject) => {
    proc.once('exit', (code, signal) => {
      if (code === 0) resolve(stdout.trim().split('\n').pop() ?? '');
      else reject(new Error(`${label}: exited with ${signal ?? code}`));
    });
  });
  output.catch(() => {});
  return { process: proc, output };
}
