/**
 * A client of the sandbox's control API (knobs, call counters, the world) for the CLI, the
 * benchmarks and the tests: JSON in and out; a refusal is an error with the status and the answer.
 */
export async function sandboxControl<T>(
  sandbox: { url: string },
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
