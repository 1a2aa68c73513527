/**
 * Verified stamps: a cache file whose full checksum passed is not hashed again by the next
 * process while it is unchanged. The instrumented module (14 MB for Python) and the
 * interpreter snapshot (9 MB) were hashed in full by every new process, on the pool
 * thread that then runs the first execution: ~15–25 ms of a first run.
 *
 *     <file>.verified   { format: 1, digest, size, mtimeMs, ctimeMs, ino, dev }
 *
 * A stamp is written only after the file's bytes matched the digest its entry records
 * (the module's sidecar, the snapshot's header), with the stat the file had before and
 * after those bytes were read. It vouches for the file while all five stat fields and the
 * recorded digest are unchanged; anything else — a rewrite (even one that restored the
 * mtime with `utimes`: the ctime still moves), a truncation, a replacement by rename, a
 * new sidecar — and the file is hashed in full again before use, and deleted and rebuilt
 * when it does not match. What a stamp cannot see is a change that leaves the stat alone:
 * silent bit rot of the disk after the file was verified is not re-detected. Nor would a
 * rewrite within the same tick of a coarse file-system clock as the file's last change
 * (kernels before 6.13 advance file times once per 1–10 ms tick; FAT and some network file
 * systems are coarser): so, as git does for its index, a file whose ctime is less than
 * `RACY_MS` older than the moment its stat was taken is not stamped — a change after that
 * moment gets a later ctime on any file system. Such a fresh file is hashed again by the
 * next reader, and stamped once it has settled. (Nothing in
 * the cache is a security boundary: a stamp, like the sidecar it sits next to, is only as
 * trustworthy as the cache directory. WebAssembly validation of every module still
 * happens in V8.)
 *
 * Synchronous and small: only pool threads read and write stamps, next to reads that are
 * synchronous for the same reason (see `module-cache.ts`). Writing never fails the caller:
 * a read-only cache only means the file is hashed again next time.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { SourceStat } from "./source-stamp.js";

/** The stat fields a stamp is bound to (the same as a source stamp's). */
export type StampedStat = SourceStat;

/** A stat, and when it was taken (`Date.now()` just before it). */
export interface TimedStat extends StampedStat {
  readonly atMs: number;
}

/** How long, in ms, a file's last change must precede its stat for the file to be stamped. */
export const RACY_MS = 2000;

interface Stamp extends StampedStat {
  readonly format: 1;
  readonly digest: string;
}

/** The stamp file of `file`. */
export function verifiedStampPath(file: string): string {
  return `${file}.verified`;
}

/** The stamped fields of the open file `fd`, and when they were read. */
export function statOfFd(fd: number): TimedStat {
  const atMs = Date.now();
  const { size, mtimeMs, ctimeMs, ino, dev } = fstatSync(fd);
  return { size, mtimeMs, ctimeMs, ino, dev, atMs };
}

/** Whether two stats agree on every stamped field (a file that changed while it was read does not). */
export function sameStat(a: StampedStat, b: StampedStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

/**
 * True when `file` has a stamp for exactly `st` and `digest`: its bytes were verified
 * against `digest` and it has not changed since. Missing, damaged or stale stamps are false.
 */
function isVerified(file: string, st: StampedStat, digest: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(verifiedStampPath(file), "utf8"));
  } catch {
    return false;
  }
  if (typeof v !== "object" || v === null) return false;
  const s = v as Partial<Stamp>;
  return s.format === 1 && s.digest === digest && sameStat(s as StampedStat, st);
}

/**
 * Whether `file`'s bytes match `digest`: trusted without `matches()` while its stamp holds
 * for `st`; else `matches()` decides, and a file that passed is stamped. `st` is the stat the
 * file had before its bytes were read, or null when it changed while they were read (never
 * trusted by a stamp, never stamped).
 */
export function verifyWithStamp(file: string, st: TimedStat | null, digest: string, matches: () => boolean): boolean {
  if (st !== null && isVerified(file, st, digest)) return true;
  const passed = matches();
  if (passed && st !== null) writeVerifiedStamp(file, st, digest);
  return passed;
}

/**
 * Records that `file`, with stat `st` (taken before its bytes were read, and unchanged
 * after), matched `digest` in full — unless it changed less than `RACY_MS` before that
 * stat (see the module documentation). Atomic (temp file and rename); never throws.
 */
function writeVerifiedStamp(file: string, st: TimedStat, digest: string): void {
  if (st.atMs - st.ctimeMs < RACY_MS) return;
  const path = verifiedStampPath(file);
  const stamp: Stamp = { format: 1, digest, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev };
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    const fd = openSync(tmp, "wx");
    try {
      writeSync(fd, JSON.stringify(stamp));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Left for the cache's pruning (temporary files are removed once a day old).
    }
  }
}
