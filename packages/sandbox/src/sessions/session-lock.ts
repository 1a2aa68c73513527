import { canonicalSessionId, KeyedMutex, type StorageAdapter } from "@llm-wasm-sandbox/core";

/** Options of `withSessionLock`. */
export interface SessionLockOptions {
  /** How long to wait for another process's lock (adapter default when omitted). */
  readonly timeoutMs?: number;
}

const mutexes = new WeakMap<StorageAdapter, KeyedMutex>();
/** Releases still running after their caller got its value (`withSessionLockReleasedAfter`). */
const releasing = new Set<Promise<void>>();

/**
 * Runs `fn` while holding the session exclusively: first an in-process async
 * mutex keyed by adapter and session (so concurrent calls in this process queue
 * without polling), then, when the adapter has one, its cross-process `lock()`.
 * `execute` holds it around list → run → commit; host-side writes hold it too,
 * so a read-modify-write under it never loses an update.
 * @throws InvalidSessionIdError; StorageConflictError when the cross-process lock times out.
 */
export async function withSessionLock<T>(storage: StorageAdapter, sessionId: string, fn: () => Promise<T>, options: SessionLockOptions = {}): Promise<T> {
  const { outcome, released } = await lockedRun(storage, sessionId, fn, options);
  await released;
  return valueOf(outcome);
}

/**
 * @internal Like `withSessionLock`, but resolves as soon as `fn` has: the lock is
 * released after that (a lock file's removal is not on the caller's path), and
 * this process's next call for the session waits for it as before. A release that
 * fails leaves what it left before (a lock file of a live process); it is not
 * reported to the caller, who has its value already. `sessionLocksReleased` waits for
 * the releases still running.
 */
export async function withSessionLockReleasedAfter<T>(storage: StorageAdapter, sessionId: string, fn: () => Promise<T>, options: SessionLockOptions = {}): Promise<T> {
  const { outcome, released } = await lockedRun(storage, sessionId, fn, options);
  const tracked = released.catch(() => undefined);
  releasing.add(tracked);
  void tracked.then(() => releasing.delete(tracked));
  return valueOf(outcome);
}

/** @internal Waits for the session-lock releases still running in this process (see `withSessionLockReleasedAfter`). */
export async function sessionLocksReleased(): Promise<void> {
  await Promise.all(releasing);
}

/** What `fn` did: its value or what it threw. */
type Outcome<T> = { readonly value: T } | { readonly error: unknown };

function valueOf<T>(outcome: Outcome<T>): T {
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/**
 * Runs `fn` under the session lock; resolves with what it did and the lock's release,
 * which goes on; rejects only when the lock cannot be taken.
 */
function lockedRun<T>(storage: StorageAdapter, sessionId: string, fn: () => Promise<T>, options: SessionLockOptions): Promise<{ outcome: Outcome<T>; released: Promise<void> }> {
  const id = canonicalSessionId(sessionId);
  let mutex = mutexes.get(storage);
  if (!mutex) {
    mutex = new KeyedMutex();
    mutexes.set(storage, mutex);
  }
  const held = mutex;
  return new Promise((resolve, reject) => {
    let answered = false;
    const run = held.run(id, async () => {
      const release = storage.lock ? await storage.lock(id, options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs }) : undefined;
      let outcome: Outcome<T>;
      try {
        outcome = { value: await fn() };
      } catch (error) {
        outcome = { error };
      }
      // The in-process mutex is held until the release is done: this process's next call waits
      // for it. It starts once the caller has gone on with the value (the macrotask after this).
      const released = new Promise<void>((later) => setImmediate(later)).then(() => release?.());
      answered = true;
      resolve({ outcome, released });
      await released.catch(() => undefined);
    });
    run.catch((error: unknown) => {
      if (!answered) reject(error);
    });
  });
}
