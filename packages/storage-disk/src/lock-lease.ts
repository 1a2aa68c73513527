import * as fs from "node:fs";
import { dirname, join } from "node:path";
import { type HeldLock, WANT_SUFFIX, wantedPath } from "./lock-file.js";
import { watchLockFile } from "./lock-watch.js";

/*
 * Lock files kept between uses (a lease): a session's run lock file is created once and
 * kept, instead of being created and removed around every run, while this process uses
 * the session — so a run of a session that changed nothing touches no file at all, and
 * does not wait for the thread pool to create one. Its commit lock is kept the same way
 * between commits (session-locks.ts).
 *
 * The lock is exactly as exclusive as before: the file exists, with our pid, host and
 * time, for as long as we keep it. What changes is when it goes:
 *
 * - Released by its user, it is kept IDLE for at most `idleMs`, and re-taken by this
 *   process's next run of the session (after checking that the file at the path is still
 *   the one we hold open).
 * - Anyone else who wants it (another adapter of this process, another process, another
 *   host) finds it held, creates `<lock>.want` and retries (lock-file.ts). The holder
 *   gives an idle lock up as soon as it sees that file — a directory watch on this host,
 *   and at the latest when `idleMs` runs out (a watch does not see other hosts' writes on
 *   a network file system) — and a busy one when its user releases it: a waiter waits for
 *   one run of ours at most, not for a series of them. Having given a lock up to a waiter,
 *   our next take of it first leaves the waiter up to `yieldMs` to take it (the waiter
 *   retries as soon as its watch sees the file go, lock-watch.ts): without that, a holder
 *   that uses the lock again at once took it back before the waiter could, again and again.
 * - A lock is re-taken only while younger than `maxAgeMs` (a fraction of the stale-lock
 *   age, after which another host would take it over), and kept only when its owner
 *   was written into it (an empty lock file is judged stale 10 s after its creation),
 *   at most `maxIdle` are kept idle
 *   (each holds a descriptor), and all idle ones are released by `close()` and, at the
 *   latest, synchronously when the process exits.
 */

/** How leases are kept. */
export interface LeaseOptions {
  /** Longest an unused lock is kept. */
  readonly idleMs: number;
  /** A lock older than this (since it was created) is not re-taken. */
  readonly maxAgeMs: number;
  /** Most locks kept unused at once. */
  readonly maxIdle: number;
  /** How long our next take of a lock we gave up to a waiter leaves the waiter to take it first. */
  readonly yieldMs: number;
}

/** Lock files kept between uses; see the module documentation. */
export interface LockLeases {
  /** The lock at `path`: the idle one we keep, or a new one from `take`. Its release keeps it (idle) when it may. */
  acquire(path: string, take: () => Promise<HeldLock>): Promise<() => Promise<void>>;
  /** Releases every idle lock (leases go on: a later release keeps its lock idle again). */
  close(): Promise<void>;
}

interface Idle {
  readonly held: HeldLock;
  readonly timer: NodeJS.Timeout;
}

/** Every lease set with idle locks, for the exit handler. */
const live = new Set<Map<string, Idle>>();
let exitHookInstalled = false;

/** Creates a set of leases (one per adapter). */
export function lockLeases(options: LeaseOptions): LockLeases {
  const idle = new Map<string, Idle>();
  const watchers = new Map<string, fs.FSWatcher>();

  /** Locks handed out by `acquire` and not yet released by their users. */
  let busy = 0;
  /** When we last gave each lock up because someone asked for it (see `giveWay`); only entries younger than `yieldMs` matter. */
  const yielded = new Map<string, number>();
  /** Records that we gave the lock at `path` up to a waiter, dropping records too old to matter (so the map holds only the last `yieldMs`' worth). */
  const noteYield = (path: string): void => {
    const now = Date.now();
    for (const [other, at] of yielded) if (now - at >= options.yieldMs) yielded.delete(other);
    yielded.set(path, now);
  };

  /** Stops watching once no lock is kept or in use (a lock going from idle to busy keeps its watch: re-creating it costs more than the run's lock). */
  const unwatchWhenUnused = (): void => {
    if (idle.size > 0 || busy > 0) return;
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };

  /** Takes `path` out of the idle set (and its timer); the lock itself stays held. */
  const unidle = (path: string): HeldLock | null => {
    const entry = idle.get(path);
    if (entry === undefined) return null;
    idle.delete(path);
    clearTimeout(entry.timer);
    if (idle.size === 0) live.delete(idle);
    return entry.held;
  };

  const expire = (path: string, asked = false): void => {
    const held = unidle(path);
    if (held !== null && asked) noteYield(path);
    unwatchWhenUnused();
    // A release that fails leaves what a crashed process leaves: a lock file of ours, taken over by the next taker.
    if (held !== null) void held.release().catch(() => undefined);
  };

  const watch = (dir: string): void => {
    if (watchers.has(dir)) return;
    try {
      const watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (typeof name === "string" && name.endsWith(WANT_SUFFIX)) expire(join(dir, name.slice(0, -WANT_SUFFIX.length)), true);
      });
      watcher.on("error", () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    } catch {
      // No watch (e.g. out of inotify instances): waiters get the lock when idleMs runs out.
    }
  };

  /** True when someone asked for the lock at `path`; the request is answered (removed) by the caller releasing it. */
  const wanted = (path: string): boolean => {
    if (fs.lstatSync(wantedPath(path), { throwIfNoEntry: false }) === undefined) return false;
    void fs.promises.unlink(wantedPath(path)).catch(() => undefined);
    return true;
  };

  const keepable = (held: HeldLock): boolean => Date.now() - held.acquiredAt < options.maxAgeMs;

  /**
   * After we gave the lock at `path` up to a waiter: waits until the waiter took it (the
   * file appears; `take` then waits for it as any waiter does), at most what is left of
   * `yieldMs` since. A waiter that went away costs our next take that much, once.
   */
  const giveWay = async (path: string): Promise<void> => {
    const since = yielded.get(path);
    if (since === undefined) return;
    yielded.delete(path);
    const left = options.yieldMs - (Date.now() - since);
    if (left <= 0 || fs.existsSync(path)) return;
    const watch = watchLockFile(path);
    try {
      // Created between the check and the watch: no event; the wait is then the fallback.
      if (!fs.existsSync(path)) await watch.changed(left);
    } finally {
      watch.close();
    }
  };

  /** The release function handed to the lock's user: keeps the lock idle when nobody asked for it. */
  const releaser = (held: HeldLock): (() => Promise<void>) => {
    let done = false;
    busy++;
    return async () => {
      if (done) return;
      done = true;
      busy--;
      const keep = keepable(held) && idle.size < options.maxIdle && (await held.ownerWritten);
      const asked = keep && wanted(held.path);
      if (asked) noteYield(held.path);
      if (!keep || asked || !held.isStillOurs()) {
        unwatchWhenUnused();
        await held.release();
        return;
      }
      const timer = setTimeout(() => expire(held.path), options.idleMs);
      timer.unref();
      idle.set(held.path, { held, timer });
      live.add(idle);
      installExitHook();
      watch(dirname(held.path));
      // A request made between the check above and the watch: seen now.
      if (fs.existsSync(wantedPath(held.path))) expire(held.path, true);
    };
  };

  return {
    async acquire(path, take) {
      const kept = unidle(path);
      if (kept !== null) {
        if (keepable(kept) && kept.isStillOurs()) return releaser(kept);
        await kept.release();
      }
      try {
        await giveWay(path);
        return releaser(await take());
      } finally {
        unwatchWhenUnused();
      }
    },
    async close() {
      const kept = [...idle.keys()].map((path) => unidle(path));
      unwatchWhenUnused();
      await Promise.all(kept.map((held) => held?.release().catch(() => undefined)));
    },
  };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const set of live) for (const { held } of set.values()) held.releaseAtExit();
  });
}
