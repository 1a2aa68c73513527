import { StorageConflictError } from "@llm-wasm-sandbox/core";

/*
 * Locks held in this process's memory, for a workspace root no other process
 * uses (`diskStorage({ singleProcess: true })`): taking and releasing one
 * touches no file. They are shared by every adapter on the same root in this
 * process (keyed by root, purpose and session), so two adapters on one root
 * still exclude each other. Waiters queue in order; one that times out leaves
 * the queue without breaking it.
 */

const tails = new Map<string, Promise<void>>();

/**
 * Takes the in-process lock `key`, waiting at most `timeoutMs`; returns its release.
 * @throws StorageConflictError (locked) when it is still held after `timeoutMs`.
 */
export async function acquireProcessLock(key: string, sessionId: string, purpose: string, timeoutMs: number): Promise<() => Promise<void>> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  const done = (): void => {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const started = Date.now();
  const outcome = await Promise.race([previous.then(() => "held" as const), expired]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    // Give our turn away as soon as it comes, so later waiters are not stuck behind us.
    void previous.then(done);
    throw new StorageConflictError(sessionId, `${purpose} lock held by this process; waited ${Date.now() - started} ms`, { locked: true });
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    done();
  };
}
