import * as fsp from "node:fs/promises";
import { join } from "node:path";
import { KeyedMutex, StorageConflictError, StorageError } from "@llm-wasm-sandbox/core";
import { acquireHeldLock, LockTimeoutError } from "./lock-file.js";
import { lockLeases } from "./lock-lease.js";
import { acquireProcessLock } from "./process-locks.js";
import { isCode } from "./safe-fs.js";

/*
 * Lock files live in one directory per purpose, named `<sessionId>.lock`:
 *
 *   <root>/.locks/run/<sessionId>.lock      lock(): the session lock an execution holds
 *   <root>/.locks/commit/<sessionId>.lock   serializes commits and crash recovery
 *
 * The name of every file derived from a session id must be injective in the id:
 * with both kinds in one directory, session `X.commit`'s run lock was session
 * `X`'s commit lock. Separate directories make the mapping (purpose, id) → path
 * one-to-one; take-over guards end in `.lock.takeover` and a waiter's request to the
 * holder in `.lock.want` (lock-file.ts), suffixes no lock file has.
 *
 * Both are kept between uses (lock-lease.ts) for `keepRunLockMs`: a session's run lock
 * between its runs, its commit lock between its commits (a run that commits would
 * otherwise create and remove a lock file, waiting for the file system's journal, on
 * its way to the commit point).
 */

/** Which lock of a session. */
export type LockPurpose = "run" | "commit";

/** Takes and releases a session's lock files; in-process waiters queue on a mutex instead of polling. */
export interface SessionLocks {
  /** The cross-process lock of `purpose`, for at most `timeoutMs` of waiting. @throws StorageConflictError on timeout */
  acquire(sessionId: string, purpose: LockPurpose, timeoutMs: number): Promise<() => Promise<void>>;
  /** Runs `fn` under the in-process mutex and the commit lock file. */
  withCommitLock<T>(sessionId: string, fn: () => Promise<T>): Promise<T>;
  /** Where a lock file of `purpose` for `sessionId` lives (for tests and docs). */
  pathOf(sessionId: string, purpose: LockPurpose): string;
  /** Releases the run locks kept between runs (see lock-lease.ts). */
  close(): Promise<void>;
}

/** Most locks (run and commit) one adapter keeps unused at once (each holds a descriptor): both of 64 sessions. */
const MAX_KEPT_LOCKS = 128;
/** A kept run lock is re-taken for at most this long after its creation (capped by a quarter of the stale-lock age). */
const MAX_LOCK_AGE_MS = 60_000;
/**
 * How long our next take of a lock we gave up to a waiter leaves the waiter to take it
 * (lock-lease.ts): a waiter on this host retries within a turn of its event loop once
 * its watch sees the file go; this also covers a busy machine.
 */
const YIELD_MS = 50;

/**
 * Lock files under `<root>/.locks/`; with `singleProcess`, in-process locks
 * instead (see process-locks.ts) and no file at all.
 */
export function sessionLocks(root: string, options: { timeoutMs: number; staleMs: number; singleProcess: boolean; keepRunLockMs: number }): SessionLocks {
  const mutex = new KeyedMutex();
  const leases = options.keepRunLockMs > 0 ? lockLeases({ idleMs: options.keepRunLockMs, maxAgeMs: Math.min(MAX_LOCK_AGE_MS, options.staleMs / 4), maxIdle: MAX_KEPT_LOCKS, yieldMs: YIELD_MS }) : null;
  // Lock directories known to exist: made once, not before every lock (one round trip less per run).
  const made = new Set<LockPurpose>();
  const pathOf = (sessionId: string, purpose: LockPurpose): string => join(root, ".locks", purpose, `${sessionId}.lock`);

  const acquire = async (sessionId: string, purpose: LockPurpose, timeoutMs: number): Promise<() => Promise<void>> => {
    const path = pathOf(sessionId, purpose);
    if (options.singleProcess) return acquireProcessLock(path, sessionId, purpose, timeoutMs);
    const create = async () => acquireHeldLock(path, { timeoutMs, staleMs: options.staleMs });
    const take = async (): Promise<() => Promise<void>> => {
      if (leases !== null) return leases.acquire(path, create);
      const held = await create();
      return () => held.release();
    };
    try {
      if (!made.has(purpose)) {
        await fsp.mkdir(join(root, ".locks", purpose), { recursive: true });
        made.add(purpose);
      }
      try {
        return await take();
      } catch (e) {
        // The lock directory was removed since (a cleaned-up root): make it again, once.
        if (!isCode(e, "ENOENT")) throw e;
        await fsp.mkdir(join(root, ".locks", purpose), { recursive: true });
        return await take();
      }
    } catch (e) {
      if (e instanceof LockTimeoutError) {
        const who = e.owner ? `pid ${e.owner.pid} on ${e.owner.host} since ${new Date(e.owner.acquiredAt).toISOString()}` : "an unknown process";
        throw new StorageConflictError(sessionId, `${purpose} lock held by ${who}; waited ${e.waitedMs} ms`, { cause: e, locked: true });
      }
      throw new StorageError("disk", `cannot take lock ${path}: ${String(e)}`, { cause: e });
    }
  };

  return {
    acquire,
    pathOf,
    close: async () => leases?.close(),
    withCommitLock: (sessionId, fn) =>
      mutex.run(sessionId, async () => {
        // The mutex already excludes this adapter; the lock excludes other adapters (and, as a file, processes).
        const release = await acquire(sessionId, "commit", options.timeoutMs);
        try {
          return await fn();
        } finally {
          await release();
        }
      }),
  };
}
