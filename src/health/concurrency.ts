/**
 * Runs `work` on every item with at most `limit` in flight, in list order. The first failure stops
 * new items from starting; the ones in flight are let finish, then the failure is thrown — so nothing
 * is still writing when the caller records the outcome.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

/**
 * One holder per key at a time. The health check serialises each consultant's token-cache step: two
 * tenants of one consultant refreshing the same cache at once would lose one of the rotated tokens.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLock<R>(key: string, run: () => Promise<R>): Promise<R> {
    const before = tails.get(key) ?? Promise.resolve();
    const result = before.then(run);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last holder cleans up, so the map does not grow with every consultant of a run.
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export type KeyedLock = ReturnType<typeof createKeyedLock>;
