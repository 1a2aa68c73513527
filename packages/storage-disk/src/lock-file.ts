import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import { hostname } from "node:os";
import { type LockWatch, watchLockFile } from "./lock-watch.js";
import { isCode } from "./safe-fs.js";

/** Who holds a lock file: written into it when taken. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly acquiredAt: number;
}

/** How to take a lock file. */
export interface LockFileOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * A lock older than this is taken over even if its owner may be alive on another
   * host (default 10 min). On this host a lock whose owner pid is gone is taken over at once.
   */
  readonly staleMs?: number;
}

/** Thrown by `acquireLockFile` on timeout; the adapter turns it into a SandboxError. */
export class LockTimeoutError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner | null,
    readonly waitedMs: number,
  ) {
    super(`lock ${path} still held after ${waitedMs} ms`);
  }
}

const TAKEOVER_GUARD_STALE_MS = 10_000;

/** A lock file this process holds (see `acquireHeldLock`). */
export interface HeldLock {
  readonly path: string;
  /** When it was taken (the owner's `acquiredAt`: other hosts judge staleness by it). */
  readonly acquiredAt: number;
  /** True while the file at `path` is still the one we created (two synchronous stats). */
  isStillOurs(): boolean;
  /**
   * Settles true once our owner is written into the file, false when that write failed
   * (a full disk): such a file reads as empty, which another process takes for a lock
   * caught between create and write and takes over once its mtime is 10 s old — so it
   * must not be kept longer than its use (lock-lease.ts).
   */
  readonly ownerWritten: Promise<boolean>;
  /** Removes the file if it is still ours, then closes it. Once only. */
  release(): Promise<void>;
  /** `release` for a process that is exiting: synchronous, removes the file if it is still ours (the descriptor goes with the process). */
  releaseAtExit(): void;
}

/** Suffix of the file a waiter creates to ask the holder of `<path>` to release it (see `wantedPath`). */
export const WANT_SUFFIX = ".want";

/** The file a waiter for the lock at `path` creates: a holder keeping the lock between uses (a lease) gives it up when it sees one. */
export function wantedPath(path: string): string {
  return `${path}${WANT_SUFFIX}`;
}

/**
 * Takes an exclusive lock by creating `path` with O_EXCL ("wx"), writing the
 * owner (pid, host, token, time) into it. Retries with capped exponential
 * backoff and jitter; takes over a stale lock under a second guard file so that
 * two processes cannot both take over the same stale lock. Returns the release
 * function, which removes the file only if it is still ours.
 */
export async function acquireLockFile(path: string, options: LockFileOptions = {}): Promise<() => Promise<void>> {
  const held = await acquireHeldLock(path, options);
  return () => held.release();
}

/**
 * `acquireLockFile`, returning the held lock itself. While it waits, it asks the holder
 * to release by creating `wantedPath(path)` (a holder that keeps its lock between uses
 * gives it up when it sees the file; see lock-lease.ts), and removes that file once it
 * has the lock. It tries again as soon as a watch sees the lock file removed, and at the
 * latest when its backoff runs out (lock-watch.ts).
 *
 * The lock file stays open while held: releasing compares the inode of our open
 * file with the one at `path` (two synchronous stats) instead of reading the owner
 * back, then removes and closes it together. It is taken around every run, so the
 * caller waits for one round trip to the thread pool (the create): the owner is
 * written while the caller goes on, and releasing waits for that write. While our descriptor is open the inode cannot be reused, so a
 * lock file another process took over (removed and created anew) never has our inode.
 */
export async function acquireHeldLock(path: string, options: LockFileOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 600_000;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(12).toString("hex"), acquiredAt: Date.now() };
  const started = Date.now();
  let watch: LockWatch | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      const acquiredAt = Date.now();
      const held = await tryCreate(path, { ...owner, acquiredAt });
      if (held !== null) {
        // Our request is answered: a holder that finds it later would give up a lock for no one.
        if (attempt > 0) void fsp.unlink(wantedPath(path)).catch(() => undefined);
        return heldLock(path, held, acquiredAt);
      }
      const current = await readOwner(path);
      // A stale lock is retried at once, unless another taker holds the guard past our timeout.
      if ((await isStale(path, current, staleMs)) && ((await takeOver(path, current, staleMs)) || Date.now() - started < timeoutMs)) continue;
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw new LockTimeoutError(path, current, waited);
      await askForIt(path);
      watch ??= watchLockFile(path);
      const backoff = Math.min(250, 5 * 2 ** Math.min(attempt, 6));
      await watch.changed(Math.min(backoff + Math.random() * backoff, Math.max(1, timeoutMs - waited)));
    }
  } finally {
    watch?.close();
  }
}

/** The lock at `path` we hold as `file`. */
function heldLock(path: string, file: HeldFile, acquiredAt: number): HeldLock {
  let released = false;
  const ours = (): boolean => {
    const mine = fs.fstatSync(file.handle.fd);
    const there = fs.lstatSync(path, { throwIfNoEntry: false });
    return there !== undefined && there.ino === mine.ino && there.dev === mine.dev;
  };
  return {
    path,
    acquiredAt,
    isStillOurs: () => !released && ours(),
    ownerWritten: file.written,
    // Once only: the handle's descriptor number may have been reused since.
    async release() {
      if (released) return;
      released = true;
      await release(path, file, ours);
    },
    releaseAtExit() {
      if (released) return;
      released = true;
      try {
        if (ours()) fs.unlinkSync(path);
      } catch {
        // Exiting: a lock file left behind is taken over (its pid is gone).
      }
    },
  };
}

/** Creates the want file of `path` (a waiter's request to its holder); an existing one is fine. */
async function askForIt(path: string): Promise<void> {
  try {
    const handle = await fsp.open(wantedPath(path), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await handle.close();
  } catch {
    // Already asked (EEXIST), or the directory went away: the next attempt finds out.
  }
}

/** A lock file we created and hold open, and the write of its owner. */
interface HeldFile {
  readonly handle: fsp.FileHandle;
  /** Settles true when the owner is written, false when that write failed (never rejects). */
  readonly written: Promise<boolean>;
}

/**
 * Creates `path` exclusively and returns it still open, with the owner being written into
 * it; null when it exists. The lock is ours once the file exists, so the caller goes on
 * while the owner is written: until then another process finds the file empty and judges
 * it by its mtime (fresh), exactly as a lock file caught between create and write.
 */
async function tryCreate(path: string, owner: LockOwner): Promise<HeldFile | null> {
  let handle: fsp.FileHandle;
  try {
    // No O_TRUNC (which "wx" adds): ext4 flushes a file opened with it when it is closed.
    handle = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if (isCode(e, "EEXIST")) return null;
    throw e;
  }
  const text = JSON.stringify(owner);
  const written = handle.write(text).then(
    ({ bytesWritten }) => bytesWritten === Buffer.byteLength(text),
    () => false,
  );
  return { handle, written };
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed: unknown = JSON.parse(await fsp.readFile(path, "utf8"));
    if (typeof parsed === "object" && parsed !== null && "pid" in parsed && "token" in parsed) return parsed as LockOwner;
    return null;
  } catch {
    // Missing, or created but not yet written: judged by its mtime in isStale.
    return null;
  }
}

async function isStale(path: string, owner: LockOwner | null, staleMs: number): Promise<boolean> {
  if (owner && owner.host === hostname() && !pidAlive(owner.pid)) return true;
  const since = owner?.acquiredAt ?? (await mtimeOf(path));
  if (since === null) return false;
  // An unreadable lock file is only a half-written one; give its writer a moment.
  return Date.now() - since > (owner ? staleMs : Math.min(staleMs, TAKEOVER_GUARD_STALE_MS));
}

/**
 * Removes the stale lock at `path` under its guard file. True when this call held the guard
 * (or cleared an abandoned one), false when another taker holds it (after a 5 ms pause).
 */
async function takeOver(path: string, seen: LockOwner | null, staleMs: number): Promise<boolean> {
  const guard = `${path}.takeover`;
  const guarding = await tryCreate(guard, { pid: process.pid, host: hostname(), token: randomBytes(12).toString("hex"), acquiredAt: Date.now() });
  if (guarding === null) {
    if (await clearAbandonedGuard(guard)) return true;
    await sleep(5);
    return false;
  }
  try {
    // Re-check under the guard: someone may have taken over and re-locked already.
    const now = await readOwner(path);
    if (now?.token === seen?.token && (await isStale(path, now, staleMs))) await fsp.rm(path, { force: true });
  } finally {
    await fsp.rm(guard, { force: true });
    await guarding.written;
    await guarding.handle.close();
  }
  return true;
}

/**
 * Removes a take-over guard whose taker is gone: its pid is dead on this host, or (another
 * host's, or not written yet) it is older than TAKEOVER_GUARD_STALE_MS. A taker that died
 * holding it would otherwise hold up every waiter of the lock for that long. The guard is
 * read again just before it is removed, so one that another taker created since (with
 * another token) stays.
 */
async function clearAbandonedGuard(guard: string): Promise<boolean> {
  const owner = await readOwner(guard);
  const dead = owner !== null && owner.host === hostname() && !pidAlive(owner.pid);
  if (!dead) {
    const since = await mtimeOf(guard);
    if (since === null || Date.now() - since <= TAKEOVER_GUARD_STALE_MS) return false;
  }
  if (owner !== null && (await readOwner(guard))?.token !== owner.token) return false;
  await fsp.rm(guard, { force: true });
  return true;
}

/**
 * Removes the lock file if it is still the one `held` holds open, then closes it.
 * The two stats only read metadata and are made synchronously (see fs-io.ts); the
 * unlink and the close go out together through the thread pool.
 */
async function release(path: string, held: HeldFile, ours: () => boolean): Promise<void> {
  const { handle } = held;
  // Never close (or remove) under a write still in flight.
  await held.written;
  try {
    await Promise.all([ours() ? fsp.unlink(path).catch((e: unknown) => (isCode(e, "ENOENT") ? undefined : Promise.reject(e))) : undefined, handle.close()]);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

async function mtimeOf(path: string): Promise<number | null> {
  try {
    return (await fsp.stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isCode(e, "EPERM");
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
