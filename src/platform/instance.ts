import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names this process among the instances sharing one database (in verdicts, job logs): host, process
 * ID and a random suffix, so a restarted process with a recycled PID is told apart.
 */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
}
