/**
 * Source stamps: what a module file on disk hashed to, keyed by its path and stat
 * (size, mtime, ctime, inode, device). A process that loads a large runtime binary from
 * a path (python.wasm is 26 MB) can then find its instrumented cache entry without
 * reading and hashing the original again, which is most of a warm start's I/O and CPU.
 *
 * A source stamp is only a hint that says which cache entry to look up; it never vouches
 * for bytes that are executed. The instrumented entry it leads to is checked against its
 * own sha256 before use — hashed in full unless that entry's own verified stamp
 * (`verified-stamp.ts`, bound to the same five stat fields of the instrumented file) says
 * the file passed before and has not changed since — and a source stamp that does not
 * match the file's current stat (any of the five fields) is ignored. ctime cannot be set
 * back by `utimes`, so an in-place rewrite that forges size and mtime still changes the stat.
 *
 *     <dir>/source-stamps/<sha256(path)[0..32]>.json
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite } from "./atomic-write.js";
import { markCacheEntryUsed } from "./cache-usage.js";

/** The stat fields a stamp is bound to. */
export interface SourceStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

interface Stamp extends SourceStat {
  readonly format: 1;
  readonly path: string;
  readonly sha256: string;
}

/** The stamp file of `path` in the cache directory `dir`. */
export function stampPath(dir: string, path: string): string {
  return join(dir, "source-stamps", `${createHash("sha256").update(path).digest("hex").slice(0, 32)}.json`);
}

/**
 * The recorded content hash of the file at `path` when its stamp exists and matches `st`
 * exactly; null otherwise (missing, unreadable, damaged or stale stamps are all misses).
 */
export async function readSourceStamp(dir: string, path: string, st: SourceStat): Promise<string | null> {
  let v: unknown;
  try {
    v = JSON.parse(await readFile(stampPath(dir, path), "utf8"));
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const s = v as Partial<Stamp>;
  const matches =
    s.format === 1 &&
    s.path === path &&
    s.size === st.size &&
    s.mtimeMs === st.mtimeMs &&
    s.ctimeMs === st.ctimeMs &&
    s.ino === st.ino &&
    s.dev === st.dev &&
    typeof s.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(s.sha256);
  if (!matches) return null;
  // Not awaited: the loader awaits `marksSettled()` once it is done.
  void markCacheEntryUsed(stampPath(dir, path));
  return s.sha256 as string;
}

/**
 * Records that the file at `path`, with stat `st`, hashes to `hash`. Atomic (temp file
 * and rename). Callers must pass the stat taken *before* reading the bytes they hashed:
 * a file rewritten during the read then has a newer stat than the stamp, which is
 * ignored next time.
 */
export async function writeSourceStamp(dir: string, path: string, st: SourceStat, hash: string): Promise<void> {
  const file = stampPath(dir, path);
  const stamp: Stamp = { format: 1, path, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev, sha256: hash };
  await mkdir(join(dir, "source-stamps"), { recursive: true });
  await atomicWrite(file, JSON.stringify(stamp));
}
