/**
 * Read-only mounts backed by a host directory, read lazily with synchronous node:fs
 * calls. Host paths are built only from names the host itself listed (readdir), never
 * from guest strings, and every entry is lstat'ed: symlinks, sockets, devices and
 * fifos are left out, so the guest sees regular files and directories only.
 *
 * A file is read with host-files' `readHostFileSync`: one non-blocking, no-follow open,
 * then every check on that descriptor. So a file swapped after listing for a symlink
 * (to a secret), a FIFO (whose blocking open would hang this worker thread beyond the
 * reach of terminate()) or a device fails that one read with EIO; and the bytes a run
 * may load from host files are capped (`HostReadBudget`), failing with EFBIG beyond.
 *
 * Limit: Node has no openat(), so a *directory* component swapped for a symlink between
 * our lstat and an open below it is not fully defended; mount directories the guest
 * cannot write and nobody else changes meanwhile.
 */
import * as nodeFs from "node:fs";
import { join } from "node:path";
import { HostFileError } from "@llm-wasm-sandbox/core/errors";
import { readHostFileSync, type SyncFileApi } from "@llm-wasm-sandbox/host-files";
import { fail } from "./errors.js";
import { DirInode, FileInode, type Inode, type MountInfo } from "./inode.js";

/** The node:fs subset host-dir mounts use; injectable so tests can audit every host access. */
export interface HostFs extends SyncFileApi {
  lstatSync(path: string): { isFile(): boolean; isDirectory(): boolean; size: number; mtimeMs: number };
  readdirSync(path: string): string[];
}

/** How many more bytes of host files this run may load into memory (shared by its host-dir mounts). */
export interface HostReadBudget {
  remaining: number;
}

/** node:fs itself. */
export const nodeHostFs: HostFs = {
  lstatSync: (p) => nodeFs.lstatSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
  openSync: (p, f) => nodeFs.openSync(p, f),
  fstatSync: (fd) => nodeFs.fstatSync(fd),
  readSync: (fd, b, o, l, pos) => nodeFs.readSync(fd, b, o, l, pos),
  closeSync: (fd) => nodeFs.closeSync(fd),
};

/** Allocates inode numbers and timestamps for a tree being built. */
export interface InodeFactory {
  nextIno(): bigint;
  nowNs(): bigint;
}

/**
 * Builds the root directory inode of a host-dir mount. Only the root is checked now;
 * children are listed the first time the guest looks inside a directory.
 * @throws Error when `hostPath` is not a directory (a symlink to one is refused too).
 */
export function hostDirMount(hostPath: string, mount: MountInfo, parent: DirInode, hostFs: HostFs, factory: InodeFactory, budget: HostReadBudget): DirInode {
  const st = hostFs.lstatSync(hostPath);
  if (!st.isDirectory()) {
    throw new Error(`mount ${mount.guestPath}: host path ${hostPath} is not a directory (symlinks are not followed)`);
  }
  return hostDir(hostPath, mount, parent, { hostFs, factory, budget }, msToNs(st.mtimeMs));
}

/** What every directory of one host-dir tree shares. */
interface HostTree {
  readonly hostFs: HostFs;
  readonly factory: InodeFactory;
  readonly budget: HostReadBudget;
}

function hostDir(hostPath: string, mount: MountInfo, parent: DirInode, tree: HostTree, mtimeNs: bigint): DirInode {
  const dir = new DirInode(tree.factory.nextIno(), mount, tree.factory.nowNs(), parent, (self) => listHostDir(hostPath, mount, self, tree));
  setMtime(dir, mtimeNs);
  return dir;
}

function listHostDir(hostPath: string, mount: MountInfo, self: DirInode, tree: HostTree): Map<string, Inode> {
  const { hostFs, factory } = tree;
  const children = new Map<string, Inode>();
  let names: string[];
  try {
    // Re-checked at listing time: a directory swapped for a symlink since its parent was
    // listed shows up empty instead of listing (and exposing) the link's target.
    if (!hostFs.lstatSync(hostPath).isDirectory()) return children;
    names = hostFs.readdirSync(hostPath).sort();
  } catch {
    return children;
  }
  for (const name of names) {
    const childPath = join(hostPath, name);
    let st: ReturnType<HostFs["lstatSync"]>;
    try {
      st = hostFs.lstatSync(childPath);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      children.set(name, hostDir(childPath, mount, self, tree, msToNs(st.mtimeMs)));
    } else if (st.isFile()) {
      const file = new FileInode(factory.nextIno(), mount, factory.nowNs(), { size: st.size, load: () => readHostFile(childPath, tree) });
      setMtime(file, msToNs(st.mtimeMs));
      children.set(name, file);
    }
  }
  return children;
}

/**
 * Loads a listed host file, checked on the descriptor it is read from (see the module
 * doc): EIO when it is no longer a regular file, EFBIG past the run's budget.
 */
function readHostFile(path: string, tree: HostTree): Uint8Array {
  let data: Uint8Array;
  try {
    data = readHostFileSync(path, { maxBytes: tree.budget.remaining, label: "mounted host file" }, tree.hostFs);
  } catch (e) {
    if (HostFileError.isInstance(e)) return fail(e.problem === "too-large" ? "fbig" : "io", e.message);
    throw e;
  }
  tree.budget.remaining -= data.length;
  return data;
}

function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}

function setMtime(inode: Inode, ns: bigint): void {
  inode.times.mtimeNs = ns;
  inode.times.ctimeNs = ns;
}
