import { canonicalSessionId, KeyedMutex, type StorageAdapter } from "@llm-wasm-sandbox/core";

/** Options of `withSessionLock`. */
export interface SessionLockOptions {
  /** How long to wait for another process's lock (adapter default when omitted). */
  readonly timeoutMs?: number;
}

const mutexes = new WeakMap<StorageAdapter, KeyedMutex>();

/**
 * Runs `fn` while holding the session exclusively: first an in-process async
 * mutex keyed by adapter and session (so concurrent calls in this process queue
 * without polling), then, when the adapter has one, its cross-process `lock()`.
 * `execute` holds it around list → run → commit; host-side writes hold it too,
 * so a read-modify-write under it never loses an update.
 * @throws InvalidSessionIdError; StorageConflictError when the cross-process lock times out.
 */
export async function withSessionLock<T>(storage: StorageAdapter, sessionId: string, fn: () => Promise<T>, options: SessionLockOptions = {}): Promise<T> {
  const id = canonicalSessionId(sessionId);
  let mutex = mutexes.get(storage);
  if (!mutex) {
    mutex = new KeyedMutex();
    mutexes.set(storage, mutex);
  }
  return mutex.run(id, async () => {
    const release = storage.lock ? await storage.lock(id, options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs }) : undefined;
    try {
      return await fn();
    } finally {
      await release?.();
    }
  });
}
