/**
 * One fixed timestamp for a cache directory the guest sees through a read-only mount.
 *
 * The standard library and the time-zone files are unpacked into the host's cache, so
 * their host mtimes say when that machine built its cache. CPython records directory
 * mtimes in its import caches, which the interpreter snapshot keeps, and guest code can
 * read them with `os.stat`: with host mtimes, the same program in deterministic mode
 * printed different times and used different fuel depending on when and where the cache
 * was built. Every entry gets the ZIP epoch instead (the earliest time an archive entry
 * can carry), the same on every machine.
 */
import { readdir, utimes } from "node:fs/promises";
import { join } from "node:path";

/** 1980-01-01T00:00:00Z, in seconds. */
export const PINNED_MTIME_S = 315_532_800;

/**
 * Sets the access and modification times of `dir` and of everything under it to
 * PINNED_MTIME_S. Call it after the last write into the tree (a later write moves its
 * directory's mtime again).
 */
export async function pinTreeTimes(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true });
  for (const entry of entries) await utimes(join(dir, entry), PINNED_MTIME_S, PINNED_MTIME_S);
  await utimes(dir, PINNED_MTIME_S, PINNED_MTIME_S);
}
