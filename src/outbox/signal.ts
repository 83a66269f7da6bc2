/**
 * "Mail was queued": lets whoever queues wake the sender in the same process without knowing it. With
 * no sender listening (the CLI issuing links, a web-only instance) a notification is simply dropped;
 * the sender polls anyway.
 */
export function createSignal() {
  const listeners = new Set<() => void>();
  return {
    notify(): void {
      for (const listener of listeners) listener();
    },
    listen(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Signal = ReturnType<typeof createSignal>;
