import type { SandboxInfo } from './health-service.ts';

/** The sandbox's control API (knobs, call counters, the world), as any client calls it. */
export async function sandboxControl<T>(
  sandbox: Pick<SandboxInfo, 'url'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${sandbox.url}/_sandbox/control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
