/**
 * Emscripten's path syscalls (`__syscall_openat`, `__syscall_unlinkat`, `__syscall_stat64`,
 * …) over the run's VirtualFs. They return a result ≥ 0 or a negated errno; a VfsError
 * becomes its errno, anything else is a host bug and propagates.
 */
import { VfsError, type ErrnoName } from "../vfs/errors.js";
import type { DirInode } from "../vfs/inode.js";
import { MAX_PATH_BYTES } from "../vfs/resolve.js";
import type { VirtualFs } from "../vfs/virtual-fs.js";
import { emErrno, EmErrno } from "./errno.js";
import type { FdEntry, FdTable } from "./fd-table.js";
import { utf8, type GuestMemory } from "./guest-memory.js";
import { DIRENT_SIZE, direntType, writeDirent, writeStat } from "./stat.js";

/** `dirfd` meaning "the current directory". */
export const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;

/** musl's generic O_* flags, as emscripten uses them. */
export const O = {
  ACCMODE: 3,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0o100,
  EXCL: 0o200,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
} as const;

const W_OK = 2;
const ERANGE = 68;

/** Shared state of the fs syscalls. */
export interface FsState {
  /** The run's filesystem; replaced when the env is rebound to another run (read it at call time). */
  fs: VirtualFs;
  readonly mem: GuestMemory;
  /** The guest's fds; replaced (fresh) when the env is rebound. */
  fds: FdTable;
  /** The working directory relative paths start from. */
  cwd: DirInode;
  cwdPath: string;
}

/** Runs a syscall body, turning a VfsError into `-errno`. */
export function sys(body: () => number): number {
  try {
    return body();
  } catch (e) {
    if (isVfsError(e)) return -emErrno(e.errno);
    throw e;
  }
}

/**
 * Structural VfsError check: the worker's VirtualFs and this layer may come from
 * different bundles of wasi-host (the pool's worker entry, a runtime's driver), so
 * `instanceof` could see two distinct classes.
 */
function isVfsError(e: unknown): e is Error & { errno: ErrnoName } {
  return e instanceof Error && e.name === "VfsError" && typeof (e as { errno?: unknown }).errno === "string";
}

/** The directory a `dirfd` names (AT_FDCWD = the cwd), or a negated errno. */
function dirOf(st: FsState, dirfd: number): DirInode | number {
  if (dirfd === AT_FDCWD) return st.cwd;
  const entry = st.fds.get(dirfd);
  if (entry === undefined) return -EmErrno.BADF;
  return entry.kind === "dir" ? entry.dir : -EmErrno.NOTDIR;
}

/** Creates the `env.__syscall_*` path and directory imports. */
export function createFsSyscalls(st: FsState) {
  const { mem } = st;
  const path = (ptr: number): string => mem.path(ptr);
  const at = <T>(dirfd: number, body: (from: DirInode) => T): T | number => {
    const from = dirOf(st, dirfd);
    return typeof from === "number" ? from : body(from);
  };

  const openat = (dirfd: number, pathPtr: number, flags: number): number =>
    sys(() => {
      const from = dirOf(st, dirfd);
      if (typeof from === "number") return from;
      // EMFILE before anything changes: a refused open must not create or truncate the file.
      if (st.fds.free() < 0) return -EmErrno.MFILE;
      const acc = flags & O.ACCMODE;
      const opened = st.fs.open(path(pathPtr), {
        from,
        read: acc !== O.WRONLY,
        write: acc === O.WRONLY || acc === O.RDWR,
        create: (flags & O.CREAT) !== 0,
        exclusive: (flags & O.EXCL) !== 0,
        truncate: (flags & O.TRUNC) !== 0,
        append: (flags & O.APPEND) !== 0,
        directory: (flags & O.DIRECTORY) !== 0,
        follow: (flags & O.NOFOLLOW) === 0,
      });
      const entry: FdEntry = "kind" in opened && opened.kind === "open-file" ? { kind: "file", file: opened, flags } : { kind: "dir", dir: opened as DirInode, flags, cursor: 0 };
      return st.fds.add(entry);
    });

  const statAt = (dirfd: number, pathPtr: number, buf: number, follow: boolean): number =>
    sys(() =>
      at(dirfd, (from) => {
        const inode = st.fs.resolve(path(pathPtr), { from, follow });
        writeStat(mem, buf, st.fs.statInode(inode), inode.readonly);
        return 0;
      }),
    );

  return {
    __syscall_openat: openat,
    __syscall_open: (pathPtr: number, flags: number): number => openat(AT_FDCWD, pathPtr, flags),
    __syscall_unlinkat: (dirfd: number, pathPtr: number, flags: number): number =>
      sys(() =>
        at(dirfd, (from) => {
          if (flags & AT_REMOVEDIR) st.fs.rmdir(path(pathPtr), { from });
          else st.fs.unlink(path(pathPtr), { from });
          return 0;
        }),
      ),
    __syscall_rmdir: (pathPtr: number): number => sys(() => (st.fs.rmdir(path(pathPtr), { from: st.cwd }), 0)),
    __syscall_renameat: (olddirfd: number, oldPtr: number, newdirfd: number, newPtr: number): number =>
      sys(() => {
        const from = dirOf(st, olddirfd);
        const toFrom = dirOf(st, newdirfd);
        if (typeof from === "number") return from;
        if (typeof toFrom === "number") return toFrom;
        st.fs.rename(path(oldPtr), path(newPtr), { from, toFrom });
        return 0;
      }),
    __syscall_readlinkat: (dirfd: number, pathPtr: number, buf: number, size: number): number =>
      sys(() =>
        at(dirfd, (from) => {
          if (size <= 0) return -EmErrno.INVAL;
          const target = utf8(st.fs.readlink(path(pathPtr), { from })).subarray(0, size);
          mem.u8.set(target, buf);
          return target.length;
        }),
      ),
    __syscall_mkdirat: (dirfd: number, pathPtr: number): number => sys(() => at(dirfd, (from) => (st.fs.mkdir(path(pathPtr), { from }), 0))),
    __syscall_stat64: (pathPtr: number, buf: number): number => statAt(AT_FDCWD, pathPtr, buf, true),
    __syscall_lstat64: (pathPtr: number, buf: number): number => statAt(AT_FDCWD, pathPtr, buf, false),
    __syscall_newfstatat: (dirfd: number, pathPtr: number, buf: number, flags: number): number =>
      statAt(dirfd, pathPtr, buf, (flags & AT_SYMLINK_NOFOLLOW) === 0),
    __syscall_fstat64: (fd: number, buf: number): number =>
      sys(() => {
        const entry = st.fds.get(fd);
        if (entry === undefined) return -EmErrno.BADF;
        const inode = entry.kind === "file" ? entry.file.inode : entry.kind === "dir" ? entry.dir : null;
        if (inode === null) {
          // Standard streams: a character device.
          mem.u8.fill(0, buf, buf + 96);
          mem.setU32(buf + 4, 0o020000 | 0o620);
          mem.setU32(buf + 8, 1);
          return 0;
        }
        writeStat(mem, buf, st.fs.statInode(inode), inode.readonly);
        return 0;
      }),
    __syscall_faccessat: (dirfd: number, pathPtr: number, amode: number): number =>
      sys(() =>
        at(dirfd, (from) => {
          const inode = st.fs.resolve(path(pathPtr), { from });
          return (amode & W_OK) !== 0 && inode.readonly ? -EmErrno.ROFS : 0;
        }),
      ),
    __syscall_getcwd: (buf: number, size: number): number => {
      const n = mem.writeCString(buf, st.cwdPath, size);
      return n < 0 ? -ERANGE : n + 1;
    },
    __syscall_chdir: (pathPtr: number): number =>
      sys(() => {
        const p = path(pathPtr);
        const inode = st.fs.resolve(p, { from: st.cwd });
        if (inode.kind !== "directory") return -EmErrno.NOTDIR;
        const cwdPath = absolutePathOf(inode); // before changing anything: ENAMETOOLONG keeps the old cwd
        st.cwd = inode;
        st.cwdPath = cwdPath;
        return 0;
      }),
    __syscall_getdents64: (fd: number, dirp: number, count: number): number =>
      sys(() => {
        const entry = st.fds.get(fd);
        if (entry === undefined) return -EmErrno.BADF;
        if (entry.kind !== "dir") return -EmErrno.NOTDIR;
        const listing = [
          { name: ".", ino: entry.dir.ino, type: direntType("directory") },
          { name: "..", ino: (entry.dir.parent ?? entry.dir).ino, type: direntType("directory") },
          ...st.fs.readdir(entry.dir).map((e) => ({ name: e.name, ino: e.inode.ino, type: direntType(e.inode.kind) })),
        ];
        let written = 0;
        while (entry.cursor < listing.length && written + DIRENT_SIZE <= count) {
          const item = listing[entry.cursor]!;
          writeDirent(mem, dirp + written, item.ino, entry.cursor + 1, item.type, utf8(item.name));
          entry.cursor++;
          written += DIRENT_SIZE;
        }
        if (written === 0 && entry.cursor < listing.length) return -EmErrno.INVAL;
        return written;
      }),
  };
}

/**
 * The absolute guest path of a directory, walking `parent` links up to the root.
 * @throws VfsError nametoolong when it is longer than MAX_PATH_BYTES (the walk stops there,
 *   so a directory nested thousands deep costs no more than a path of that length).
 */
export function absolutePathOf(dir: DirInode): string {
  const parts: string[] = [];
  let bytes = 0;
  for (let d: DirInode = dir; d.parent !== null; d = d.parent) {
    const parent: DirInode = d.parent;
    const name = [...parent.children].find(([, child]) => child === d)?.[0];
    if (name === undefined) break;
    bytes += 1 + utf8Length(name);
    if (bytes > MAX_PATH_BYTES) throw new VfsError("nametoolong", `the directory's path is longer than ${MAX_PATH_BYTES} bytes`);
    parts.push(name);
  }
  return `/${parts.reverse().join("/")}`;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
