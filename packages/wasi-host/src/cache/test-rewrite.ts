/**
 * Test support for verified stamps (`verified-stamp.ts`): changing a cache file the way a
 * careless tool or a forger would — other bytes of the same size with the times put back —
 * so that only what `utimes` cannot set (the ctime, or the inode of a replacement) moves.
 */
import { renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { vi } from "vitest";
import { RACY_MS } from "./verified-stamp.js";

/**
 * Runs `read` with `Date.now()` a second more than `RACY_MS` ahead, as if the file it reads
 * had been written that long ago: a file it verifies is stamped (a fresh one would not be).
 */
export async function asIfSettled<T>(read: () => T | Promise<T>): Promise<T> {
  const now = Date.now.bind(Date);
  const spy = vi.spyOn(Date, "now").mockImplementation(() => now() + RACY_MS + 1000);
  try {
    return await read();
  } finally {
    spy.mockRestore();
  }
}

/**
 * Sets the file's access and modification times to a whole second, which `utimes` can put
 * back exactly later (it cannot restore sub-millisecond times). Call before the file is stamped.
 */
export function pinTimes(path: string): void {
  const seconds = Math.floor(Date.now() / 1000) - 60;
  utimesSync(path, seconds, seconds);
}

/**
 * Rewrites `path` (its times pinned) in place with `bytes` of the same length and puts its
 * times back. Repeats the rewrite until the ctime moved (a kernel with coarse timestamps
 * keeps the same ctime within one tick), so the file differs from its stamp in the ctime only.
 */
export function rewriteKeepingTimes(path: string, bytes: Uint8Array): void {
  const before = statSync(path);
  if (before.size !== bytes.length) throw new Error("rewriteKeepingTimes keeps the size: pass as many bytes as the file has");
  for (let attempt = 0; attempt < 200; attempt++) {
    writeFileSync(path, bytes);
    utimesSync(path, before.atimeMs / 1000, before.mtimeMs / 1000);
    const after = statSync(path);
    if (after.mtimeMs !== before.mtimeMs || after.size !== before.size || after.ino !== before.ino) throw new Error("the rewrite changed more than the ctime (are its times pinned?)");
    if (after.ctimeMs !== before.ctimeMs) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
  }
  throw new Error(`the ctime of ${path} did not move`);
}

/** Replaces `path` (its times pinned) by rename with a new file of `bytes` with the same size and times: another inode. */
export function replaceKeepingTimes(path: string, bytes: Uint8Array): void {
  const before = statSync(path);
  const replacement = `${path}.replacement`;
  writeFileSync(replacement, bytes);
  utimesSync(replacement, before.atimeMs / 1000, before.mtimeMs / 1000);
  renameSync(replacement, path);
  const after = statSync(path);
  if (after.mtimeMs !== before.mtimeMs || after.size !== before.size || after.ino === before.ino) throw new Error("the replacement differs in more than its inode and ctime (are its times pinned?)");
}
