import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { constants, type Stats } from "node:fs";
import * as fsp from "node:fs/promises";
import { join } from "node:path";
import type { WorkspaceEntry } from "@llm-wasm-sandbox/core";
import { asyncIo, type FsIo, isCode, quickIo } from "./fs-io.js";

export { isCode } from "./fs-io.js";

/*
 * File-system helpers that never follow a symlink and never treat a special file
 * (fifo, socket, device) as a workspace file. Someone with access to the host may
 * plant such entries inside a workspace directory; guests cannot (their file
 * system is virtual), so the aim here is that a planted link is never read
 * through, written through or listed — it is skipped or replaced, never followed.
 */

/** Reads a node without following it; null when missing. */
export function lstatOrNull(path: string, io: FsIo = asyncIo): Promise<Stats | null> {
  return io.lstat(path);
}

/**
 * Resolves a canonical relative path inside `base`, checking that every
 * ancestor component is a real directory (not a symlink, not a file). Returns
 * null when an ancestor is missing or is not a real directory.
 */
export async function resolveInside(base: string, relPath: string, io: FsIo = asyncIo): Promise<string | null> {
  const parts = relPath.split("/");
  let dir = base;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const st = await io.lstat(dir);
    if (!st || !st.isDirectory()) return null;
  }
  return join(base, relPath);
}

/** Called with the stat of the descriptor about to be read (so of the very file read); throws to refuse it. */
export type ReadCheck = (st: { readonly size: number; readonly mtimeMs: number }) => void;

/** Reads a regular file without following a symlink at its last component; null when it is not a regular file. */
export async function readRegularFile(path: string, check?: ReadCheck): Promise<Uint8Array | null> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    // ELOOP: a symlink; ENXIO: a fifo without writer or a socket.
    if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENOTDIR") || isCode(e, "ENXIO") || isCode(e, "EISDIR")) return null;
    throw e;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return null;
    check?.(st);
    const buf = await handle.readFile();
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } finally {
    await handle.close();
  }
}

/** Most bytes `readSmallRegularFileSync` reads on the calling thread. */
export const QUICK_READ_BYTES = 64 * 1024;

const QUICK_READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * `readRegularFile` made synchronously, for a file of at most QUICK_READ_BYTES: an
 * open, an fstat and a read of a local file take microseconds, where each call
 * through the thread pool is a round trip between threads (fs-io.ts), and a guest
 * reading a workspace file waits for all of them. Opened without following a
 * symlink, without blocking on a fifo, and without updating the access time where
 * the file is ours (O_NOATIME, else EPERM and opened without; see session-reader.ts
 * openMeta). Returns null when it is not a regular file, `"large"` when it is over
 * the limit (nothing read: the caller reads it through the pool).
 */
export function readSmallRegularFileSync(path: string, check?: ReadCheck): Uint8Array | null | "large" {
  let fd: number;
  try {
    try {
      fd = fs.openSync(path, QUICK_READ | (constants.O_NOATIME ?? 0));
    } catch (e) {
      if (!isCode(e, "EPERM")) throw e;
      fd = fs.openSync(path, QUICK_READ);
    }
  } catch (e) {
    if (isCode(e, "ENOENT") || isCode(e, "ELOOP") || isCode(e, "ENOTDIR") || isCode(e, "ENXIO") || isCode(e, "EISDIR")) return null;
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return null;
    check?.(st);
    if (st.size > QUICK_READ_BYTES) return "large";
    // One byte more than the size: a file that grew since the fstat is read through the pool instead.
    const buf = new Uint8Array(st.size + 1);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return got > st.size ? "large" : buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `data` to a new file at `path` (which must not exist), fsyncs it (unless `sync` is false) and closes it. */
export function writeNewFileSynced(path: string, data: Uint8Array, sync = true, io: FsIo = asyncIo): Promise<void> {
  return io.writeNew(path, data, sync);
}

/** Replaces `path` atomically: temp file beside it, fsync, rename, fsync of the directory (fsyncs skipped when `sync` is false). */
export async function writeFileAtomic(dir: string, name: string, data: Uint8Array, sync = true, io: FsIo = asyncIo): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await io.writeNew(tmp, data, sync);
    await io.rename(tmp, join(dir, name));
  } catch (e) {
    // A full disk must not keep the half-written temp file.
    await io.rm(tmp).catch(() => undefined);
    throw e;
  }
  await io.fsyncDir(dir, sync);
}

/**
 * Creates `path` only if nothing is there, with its full content in one step
 * (temp file + hard link, which fails if the target exists). False when it exists.
 */
export async function createFileExclusive(dir: string, name: string, data: Uint8Array): Promise<boolean> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  await writeNewFileSynced(tmp, data);
  try {
    await fsp.link(tmp, join(dir, name));
    return true;
  } catch (e) {
    if (isCode(e, "EEXIST")) return false;
    // File systems without hard links: exclusive create, then write (a crash may
    // leave it empty, which readers treat as a damaged, unlisted session).
    if (isCode(e, "EPERM") || isCode(e, "ENOTSUP") || isCode(e, "EOPNOTSUPP")) return createByOpen(join(dir, name), data);
    throw e;
  } finally {
    await fsp.rm(tmp, { force: true });
    await fsyncDir(dir);
  }
}

async function createByOpen(path: string, data: Uint8Array): Promise<boolean> {
  try {
    await writeNewFileSynced(path, data);
    return true;
  } catch (e) {
    if (isCode(e, "EEXIST")) return false;
    throw e;
  }
}

/** fsyncs a directory so renames and creations in it are durable (a no-op when `sync` is false). */
export function fsyncDir(dir: string, sync = true, io: FsIo = asyncIo): Promise<void> {
  return io.fsyncDir(dir, sync);
}

/**
 * Makes every component of `relPath` under `base` a real directory: missing ones
 * are created, and anything else found in the way (a planted symlink, a special
 * file, a stale file from an interrupted commit) is removed first, never followed.
 */
export async function ensureRealDir(base: string, relPath: string, io: FsIo = asyncIo): Promise<void> {
  let dir = base;
  for (const part of relPath.split("/")) {
    dir = join(dir, part);
    const st = await io.lstat(dir);
    if (st?.isDirectory()) continue;
    if (st) await io.rm(dir);
    try {
      await io.mkdir(dir);
    } catch (e) {
      // Another process replaying the same commit may have just created it.
      if (!isCode(e, "EEXIST")) throw e;
    }
  }
}

/**
 * Every regular file and real directory under `base`, recursively, sorted by
 * path. Symlinks, fifos, sockets and devices are skipped (never followed), as are
 * names that are not valid workspace names.
 *
 * The walk starts every run. Its first QUICK_WALK_STATS lstats are made
 * synchronously (a few microseconds each, where each chunk through the pool is a
 * round trip between threads: fs-io.ts), the rest through the pool, as are all
 * readdirs (a directory's size is the guest's choice, and a read may update its
 * access time, which waits for the journal). So the work on the calling thread
 * stays bounded whatever the guest made.
 */
export async function walkTree(base: string): Promise<WorkspaceEntry[]> {
  let quickStats = QUICK_WALK_STATS;
  const out: WorkspaceEntry[] = [];
  const dirs: Array<{ readonly dir: string; readonly prefix: string }> = [{ dir: base, prefix: "" }];
  for (let next = dirs.pop(); next !== undefined; next = dirs.pop()) {
    const { dir, prefix } = next;
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch (e) {
      if (isCode(e, "ENOENT") || isCode(e, "ENOTDIR")) continue;
      throw e;
    }
    const portable = names.filter(isPortableName);
    // A few requests in flight at a time: one after another, a listing of n entries took n round trips.
    for (let i = 0; i < portable.length; i += WALK_CONCURRENCY) {
      const chunk = portable.slice(i, i + WALK_CONCURRENCY);
      const io = quickStats >= chunk.length ? quickIo : asyncIo;
      if (io === quickIo) quickStats -= chunk.length;
      const stats = await Promise.all(chunk.map((name) => io.lstat(join(dir, name))));
      chunk.forEach((name, k) => {
        const st = stats[k];
        const path = prefix ? `${prefix}/${name}` : name;
        if (st?.isDirectory()) {
          out.push({ path, type: "directory", size: 0, mtimeMs: st.mtimeMs });
          dirs.push({ dir: join(dir, name), prefix: path });
        } else if (st?.isFile()) {
          out.push({ path, type: "file", size: st.size, mtimeMs: st.mtimeMs });
        }
      });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Entries `walkTree` stats at once. */
const WALK_CONCURRENCY = 16;

/** lstats of one walk made synchronously (see `walkTree`). */
const QUICK_WALK_STATS = 64;

/** False for names a workspace path cannot hold (backslashes, control characters). */
function isPortableName(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) < 0x20 || name[i] === "\\") return false;
  return true;
}
