/**
 * Marks cache entries as in use, so `pruneCache` never deletes what a process still
 * reads. Setting an entry's access time (its modification time is left alone) is
 * throttled to once per `TOUCH_INTERVAL_MS` per path: a thread marks a path at most that
 * often, and not at all while its access time is younger than that (a new process reads
 * the same files as the one before it). Setting times moves a file's ctime, which ends its
 * verified stamp (`verified-stamp.ts`): the next reader hashes it again, so that happens at
 * most once per interval. Never fails: a read-only cache directory only means the entry ages.
 *
 * Source files a cache stamp is bound to (their ctime is part of the stamp) must not be
 * marked: `pruneCache` keeps those through their fresh stamps instead.
 */
import { stat, utimes } from "node:fs/promises";

/** How often one thread re-marks the same path. */
export const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

const touched = new Map<string, number>();
/** Marks of this thread still being written. */
const inFlight = new Set<Promise<void>>();

/**
 * Records that `path` (a cache file or directory) was just used. The returned promise
 * never rejects; callers off the main thread await it, or `marksSettled()` once their
 * work is done (so a prune that follows their run sees the mark), per-run callers may
 * leave it.
 */
export function markCacheEntryUsed(path: string, now: number = Date.now()): Promise<void> {
  const last = touched.get(path);
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return Promise.resolve();
  touched.set(path, now);
  const mark = touchAccessTime(path, now);
  inFlight.add(mark);
  void mark.then(() => inFlight.delete(mark));
  return mark;
}

/**
 * Resolves once every mark this thread started so far is written (never rejects). A
 * loader marks what it reads without waiting (two file-system round trips per file) and
 * awaits this before it reports back, after the work the marks would have delayed.
 */
export function marksSettled(): Promise<void> {
  return Promise.all(inFlight).then(() => undefined);
}

async function touchAccessTime(path: string, now: number): Promise<void> {
  try {
    const st = await stat(path);
    if (now - st.atimeMs < TOUCH_INTERVAL_MS && st.atimeMs <= now) return;
    await utimes(path, new Date(now), st.mtime);
  } catch {
    // Missing or read-only: the entry simply ages.
  }
}
