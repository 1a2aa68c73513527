/**
 * Marks cache entries as in use, so `pruneCache` never deletes what a process still
 * reads. Setting an entry's access time (its modification time is left alone) is
 * throttled to once per `TOUCH_INTERVAL_MS` per path and thread, and never fails: a
 * read-only cache directory only means the entry ages.
 *
 * Source files a cache stamp is bound to (their ctime is part of the stamp) must not be
 * marked: `pruneCache` keeps those through their fresh stamps instead.
 */
import { stat, utimes } from "node:fs/promises";

/** How often one thread re-marks the same path. */
export const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

const touched = new Map<string, number>();

/**
 * Records that `path` (a cache file or directory) was just used. The returned promise
 * never rejects; callers off the main thread await it (so a prune that follows their
 * run sees the mark), per-run callers may leave it.
 */
export function markCacheEntryUsed(path: string, now: number = Date.now()): Promise<void> {
  const last = touched.get(path);
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return Promise.resolve();
  touched.set(path, now);
  return touchAccessTime(path, now);
}

async function touchAccessTime(path: string, now: number): Promise<void> {
  try {
    const st = await stat(path);
    await utimes(path, new Date(now), st.mtime);
  } catch {
    // Missing or read-only: the entry simply ages.
  }
}
