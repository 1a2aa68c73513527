/**
 * Read-only mounts backed by a host directory, read lazily with synchronous node:fs
 * calls. Host paths are built only from names the host itself listed (readdir), never
 * from guest strings, and every entry is lstat'ed: symlinks, sockets, devices and
 * fifos are left out, so the guest sees regular files and directories only.
 *
 * Limit: Node has no openat(), so a host directory changed *while* a run reads it
 * (a component swapped for a symlink between our lstat and the read) is not fully
 * defended; mount directories the guest cannot write and nobody else changes meanwhile.
 */
import * as nodeFs from "node:fs";
import { join } from "node:path";
import { fail } from "./errors.js";
import { DirInode, FileInode, type Inode, type MountInfo } from "./inode.js";

/** The node:fs subset host-dir mounts use; injectable so tests can audit every host access. */
export interface HostFs {
  lstatSync(path: string): { isFile(): boolean; isDirectory(): boolean; size: number; mtimeMs: number };
  readdirSync(path: string): string[];
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): { isFile(): boolean; size: number };
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
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
export function hostDirMount(hostPath: string, mount: MountInfo, parent: DirInode, hostFs: HostFs, factory: InodeFactory): DirInode {
  const st = hostFs.lstatSync(hostPath);
  if (!st.isDirectory()) {
    throw new Error(`mount ${mount.guestPath}: host path ${hostPath} is not a directory (symlinks are not followed)`);
  }
  return hostDir(hostPath, mount, parent, hostFs, factory, msToNs(st.mtimeMs));
}

function hostDir(hostPath: string, mount: MountInfo, parent: DirInode, hostFs: HostFs, factory: InodeFactory, mtimeNs: bigint): DirInode {
  const dir = new DirInode(factory.nextIno(), mount, factory.nowNs(), parent, (self) => listHostDir(hostPath, mount, self, hostFs, factory));
  setMtime(dir, mtimeNs);
  return dir;
}

function listHostDir(hostPath: string, mount: MountInfo, self: DirInode, hostFs: HostFs, factory: InodeFactory): Map<string, Inode> {
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
      children.set(name, hostDir(childPath, mount, self, hostFs, factory, msToNs(st.mtimeMs)));
    } else if (st.isFile()) {
      const file = new FileInode(factory.nextIno(), mount, factory.nowNs(), { size: st.size, load: () => readHostFile(childPath, hostFs) });
      setMtime(file, msToNs(st.mtimeMs));
      children.set(name, file);
    }
  }
  return children;
}

/**
 * Reads a host file with O_NOFOLLOW and re-checks it is a regular file on the open
 * descriptor, so a file swapped for a symlink after listing is refused (EIO).
 */
function readHostFile(path: string, hostFs: HostFs): Uint8Array {
  let fd: number;
  try {
    fd = hostFs.openSync(path, nodeFs.constants.O_RDONLY | nodeFs.constants.O_NOFOLLOW);
  } catch {
    return fail("io", "host file vanished or became a symlink");
  }
  try {
    const st = hostFs.fstatSync(fd);
    if (!st.isFile()) fail("io", "host file is no longer a regular file");
    const buf = new Uint8Array(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = hostFs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } finally {
    hostFs.closeSync(fd);
  }
}

function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}

function setMtime(inode: Inode, ns: bigint): void {
  inode.times.mtimeNs = ns;
  inode.times.ctimeNs = ns;
}
