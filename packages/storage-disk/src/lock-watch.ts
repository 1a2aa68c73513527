import * as fs from "node:fs";
import { basename, dirname } from "node:path";

/*
 * Waiting for a lock file to change, without polling. A waiter used to retry only when its
 * backoff ran out (up to half a second), so a holder that gave the lock up and took it
 * again at once — a writer committing in a loop — kept it: the waiter's attempts kept
 * missing the moment it was free (a second writer waited 1–10 s). A watch on the lock's
 * directory (inotify on Linux) wakes the waiter when the file is removed (or created), so
 * it tries again within a turn of its event loop. The backoff stays, as the fallback where
 * a watch sees nothing (another host's change on a network file system) or cannot be made
 * (no inotify instances left).
 */

/** A watch on one lock file (see the module comment). */
export interface LockWatch {
  /** Resolves at the file's first change since the previous call (at once when one came meanwhile), or after `ms`. */
  changed(ms: number): Promise<void>;
  /** Stops watching. */
  close(): void;
}

/** Watches the lock file at `path` (its directory, filtered to its name). */
export function watchLockFile(path: string): LockWatch {
  const name = basename(path);
  let seen = false;
  let wake: (() => void) | null = null;
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== name) return;
      seen = true;
      wake?.();
    });
    watcher.on("error", () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    // No watch: `changed` waits out its time, as the backoff did.
  }
  return {
    changed(ms) {
      if (seen) {
        seen = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wake = null;
          seen = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
      });
    },
    close() {
      watcher?.close();
      watcher = null;
    },
  };
}
