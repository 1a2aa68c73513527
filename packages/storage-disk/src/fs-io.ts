import * as fs from "node:fs";
import { constants, type Stats } from "node:fs";
import * as fsp from "node:fs/promises";

/*
 * Two ways to issue the adapter's file-system calls, behind one interface so that
 * the commit protocol is written once.
 *
 * `asyncIo` sends every call to libuv's thread pool. `quickIo` makes the calls
 * that only read metadata (lstat) synchronously on the calling thread: on a local
 * file system such a call takes a few microseconds, while a call through the pool
 * costs a round trip between threads (~0.07 ms on an idle machine, several times
 * that under load), and a run's snapshot and one-file commit make a dozen of them
 * one after another. Calls that change the file system (create, write, rename,
 * unlink, mkdir) and fsync stay in the pool even in quickIo: they wait for the
 * file system's journal, which under concurrent writes took up to 26 ms per call
 * on our test machine — the main thread must not wait for that.
 *
 * quickIo is used only where the number of calls is small and fixed by the caller
 * (a commit of at most QUICK_COMMIT_CALLS path components, see commit-log.ts).
 * Anything a guest can make larger — a walk of its files, a commit of many files —
 * uses asyncIo, so the main thread never works in proportion to what a guest
 * chose (the host-immunity rule).
 */

/** The file-system calls of the commit protocol and the listing. Every method returns a promise, whichever way it is issued. */
export interface FsIo {
  /** lstat; null when the path (or a parent) is missing. */
  lstat(path: string): Promise<Stats | null>;
  rename(from: string, to: string): Promise<void>;
  /** mkdir of one directory (not recursive); EEXIST is thrown. */
  mkdir(path: string): Promise<void>;
  /** Removes `path` recursively; nothing happens when it is missing. */
  rm(path: string): Promise<void>;
  /** Writes `data` to a new file at `path` (which must not exist), fsyncs it (unless `sync` is false) and closes it. */
  writeNew(path: string, data: Uint8Array, sync: boolean): Promise<void>;
  /** fsyncs a directory so renames and creations in it are durable (a no-op when `sync` is false). */
  fsyncDir(dir: string, sync: boolean): Promise<void>;
}

const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Every call through the thread pool. */
export const asyncIo: FsIo = {
  async lstat(path) {
    try {
      return await fsp.lstat(path);
    } catch (e) {
      if (isCode(e, "ENOENT") || isCode(e, "ENOTDIR")) return null;
      throw e;
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  mkdir: async (path) => void (await fsp.mkdir(path)),
  rm: (path) => fsp.rm(path, { recursive: true, force: true }),
  async writeNew(path, data, sync) {
    const handle = await fsp.open(path, NEW_FILE, 0o600);
    try {
      await handle.writeFile(data);
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async fsyncDir(dir, sync) {
    if (!sync) return;
    const handle = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** lstat made synchronously, everything else through the thread pool (see the module comment for when it may be used). */
export const quickIo: FsIo = {
  ...asyncIo,
  async lstat(path) {
    try {
      return fs.lstatSync(path);
    } catch (e) {
      if (isCode(e, "ENOENT") || isCode(e, "ENOTDIR")) return null;
      throw e;
    }
  },
};

/** True when `e` is a Node system error with this `code`. */
export function isCode(e: unknown, code: string): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === code;
}
