/**
 * The less common file syscalls of an emscripten module (CPython links them all):
 * permissions and owners (accepted and ignored: the VirtualFs has none, but a read-only
 * mount still refuses), `fchdir`, `symlinkat`, `truncate64`, `utimensat`, positional
 * reads and writes, `poll` over files, and the ones with no meaning here (`mknodat`,
 * `pipe`, `statfs`), which fail with an errno. Results are ≥ 0 or a negated errno,
 * except the `fd_pread`/`fd_pwrite` WASI imports, which return a positive errno.
 */
import type { DirInode, Inode } from "../vfs/inode.js";
import { EmErrno } from "./errno.js";
import { absolutePathOf, AT_FDCWD, sys, type FsState } from "./fs-syscalls.js";

const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;
const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLNVAL = 0x20;
/** An infinite poll timeout waits this long per call (the clock caps real sleeps further). */
const MAX_POLL_WAIT_NS = 3_600_000_000_000n;

/** A clock that can also wait (the worker's run clock): virtual time when deterministic. */
export interface SleepingClock {
  sleep(ns: bigint): void;
}

/**
 * Creates the extra path and fd syscalls over the same state as `createFsSyscalls`.
 * `sleep` is how `poll` waits out its timeout when nothing is ready (the only way a
 * guest can wait without spinning); without it `poll` returns at once.
 */
export function createPathExtras(st: FsState, sleep?: SleepingClock["sleep"]) {
  const { mem } = st;
  const path = (ptr: number): string => mem.path(ptr);

  /** The inode a (dirfd, path) pair names; a null path (or AT_EMPTY_PATH with "") is the fd itself. */
  const inodeAt = (dirfd: number, pathPtr: number, follow: boolean, flags = 0): Inode | number => {
    const p = pathPtr === 0 ? "" : path(pathPtr);
    if (p === "" && (pathPtr === 0 || (flags & AT_EMPTY_PATH) !== 0)) return inodeOfFd(dirfd);
    const from = dirAt(dirfd);
    return typeof from === "number" ? from : st.fs.resolve(p, { from, follow });
  };
  const dirAt = (dirfd: number): DirInode | number => {
    if (dirfd === AT_FDCWD) return st.cwd;
    const entry = st.fds.get(dirfd);
    if (entry === undefined) return -EmErrno.BADF;
    return entry.kind === "dir" ? entry.dir : -EmErrno.NOTDIR;
  };
  const inodeOfFd = (fd: number): Inode | number => {
    const entry = st.fds.get(fd);
    if (entry === undefined) return -EmErrno.BADF;
    return entry.kind === "file" ? entry.file.inode : entry.kind === "dir" ? entry.dir : -EmErrno.INVAL;
  };
  /** chmod-like calls: the file must exist and be writable; the mode itself is not kept. */
  const permit = (target: Inode | number): number => (typeof target === "number" ? target : target.readonly ? -EmErrno.ROFS : 0);

  return {
    __syscall_chmod: (pathPtr: number): number => sys(() => permit(inodeAt(AT_FDCWD, pathPtr, true))),
    __syscall_fchmod: (fd: number): number => sys(() => permit(inodeOfFd(fd))),
    __syscall_fchmodat2: (dirfd: number, pathPtr: number, _mode: number, flags: number): number =>
      sys(() => permit(inodeAt(dirfd, pathPtr, (flags & AT_SYMLINK_NOFOLLOW) === 0, flags))),
    // There is one user; changing owners is not permitted (as for an unprivileged process).
    __syscall_fchownat: (dirfd: number, pathPtr: number, _owner: number, _group: number, flags: number): number =>
      sys(() => {
        const target = inodeAt(dirfd, pathPtr, (flags & AT_SYMLINK_NOFOLLOW) === 0, flags);
        return typeof target === "number" ? target : -EmErrno.PERM;
      }),
    __syscall_fchown32: (fd: number): number => {
      const target = inodeOfFd(fd);
      return typeof target === "number" ? target : -EmErrno.PERM;
    },
    __syscall_fchdir: (fd: number): number =>
      sys(() => {
        const entry = st.fds.get(fd);
        if (entry === undefined) return -EmErrno.BADF;
        if (entry.kind !== "dir") return -EmErrno.NOTDIR;
        const cwdPath = absolutePathOf(entry.dir);
        st.cwd = entry.dir;
        st.cwdPath = cwdPath;
        return 0;
      }),
    __syscall_fdatasync: (fd: number): number => (st.fds.get(fd) === undefined ? -EmErrno.BADF : 0),
    __syscall_fadvise64: (fd: number): number => (st.fds.get(fd) === undefined ? -EmErrno.BADF : 0),
    __syscall_fallocate: (fd: number, mode: number, offset: bigint, length: bigint): number =>
      sys(() => {
        const entry = st.fds.get(fd);
        if (entry === undefined) return -EmErrno.BADF;
        if (entry.kind !== "file") return -EmErrno.NODEV;
        if (mode !== 0) return -EmErrno.NOTSUP;
        const end = offset + length;
        if (offset < 0n || length <= 0n || end > BigInt(Number.MAX_SAFE_INTEGER)) return -EmErrno.INVAL;
        if (Number(end) > entry.file.inode.size) entry.file.truncate(Number(end));
        return 0;
      }),
    __syscall_truncate64: (pathPtr: number, length: bigint): number =>
      sys(() => {
        if (length < 0n || length > BigInt(Number.MAX_SAFE_INTEGER)) return -EmErrno.INVAL;
        const inode = st.fs.resolve(path(pathPtr), { from: st.cwd });
        if (inode.kind === "directory") return -EmErrno.ISDIR;
        if (inode.kind !== "file") return -EmErrno.INVAL;
        st.fs.truncate(inode, Number(length));
        return 0;
      }),
    __syscall_symlinkat: (targetPtr: number, newdirfd: number, linkPtr: number): number =>
      sys(() => {
        const from = dirAt(newdirfd);
        if (typeof from === "number") return from;
        st.fs.symlink(path(targetPtr), path(linkPtr), { from });
        return 0;
      }),
    __syscall_utimensat: (dirfd: number, pathPtr: number, times: number, flags: number): number =>
      sys(() => {
        const target = inodeAt(dirfd, pathPtr, (flags & AT_SYMLINK_NOFOLLOW) === 0, flags);
        if (typeof target === "number") return target;
        const at = times === 0 ? "now" : timespec(mem.view, times);
        const mt = times === 0 ? "now" : timespec(mem.view, times + 16);
        st.fs.setTimes(target, at, mt);
        return 0;
      }),
    // No device nodes, FIFOs, pipes or filesystem statistics in the sandbox.
    __syscall_mknodat: (): number => -EmErrno.PERM,
    __syscall_pipe: (): number => -EmErrno.NOSYS,
    __syscall_statfs64: (): number => -EmErrno.NOSYS,
    __syscall_fstatfs64: (): number => -EmErrno.NOSYS,
    __syscall_poll: (fdsPtr: number, nfds: number, timeoutMs: number): number => {
      // Files and the standard streams never block: each is ready for what it can do.
      // With nothing to watch (or nothing ready) poll is a sleep; "forever" sleeps as
      // long as the clock allows at once (nothing could ever wake it).
      let ready = 0;
      for (let i = 0; i < nfds; i++) {
        const p = fdsPtr + i * 8;
        const entry = st.fds.get(mem.i32(p));
        const events = mem.view.getInt16(p + 4, true);
        let revents = 0;
        if (entry === undefined) revents = POLLNVAL;
        else {
          const canRead = entry.kind !== "stdout" && entry.kind !== "stderr";
          const canWrite = entry.kind !== "stdin" && entry.kind !== "dir";
          revents = (canRead ? events & POLLIN : 0) | (canWrite ? events & POLLOUT : 0);
        }
        mem.view.setInt16(p + 6, revents, true);
        if (revents !== 0) ready++;
      }
      if (ready === 0 && timeoutMs !== 0) sleep?.(timeoutMs < 0 ? MAX_POLL_WAIT_NS : BigInt(timeoutMs) * 1_000_000n);
      return ready;
    },
  };
}

/** The positional WASI reads and writes (`pread`/`pwrite`), returning a positive errno. */
export function createPositionalIo(st: FsState) {
  const { mem } = st;
  const transfer = (fd: number, iovs: number, iovcnt: number, offset: bigint, pnum: number, write: boolean): number => {
    const entry = st.fds.get(fd);
    if (entry === undefined) return EmErrno.BADF;
    if (entry.kind !== "file") return entry.kind === "dir" ? EmErrno.ISDIR : EmErrno.SPIPE;
    if (offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER)) return EmErrno.INVAL;
    const n = sys(() => {
      let total = 0;
      let at = Number(offset);
      for (let i = 0; i < iovcnt; i++) {
        const ptr = mem.u32(iovs + i * 8);
        const len = mem.u32(iovs + i * 8 + 4);
        const done = write ? entry.file.pwrite(mem.subarray(ptr, len), at) : entry.file.pread(mem.subarray(ptr, len), at);
        total += done;
        at += done;
        if (done < len) break;
      }
      return total;
    });
    if (n < 0) return -n;
    mem.setU32(pnum, n);
    return 0;
  };
  return {
    fd_pread: (fd: number, iovs: number, iovcnt: number, offset: bigint, pnum: number): number => transfer(fd, iovs, iovcnt, offset, pnum, false),
    fd_pwrite: (fd: number, iovs: number, iovcnt: number, offset: bigint, pnum: number): number => transfer(fd, iovs, iovcnt, offset, pnum, true),
  };
}

/** A `struct timespec` (i64 seconds, i32 nanoseconds, padded to 16 bytes) as a utimensat time. */
function timespec(view: DataView, p: number): bigint | "now" | null {
  const nsec = view.getInt32(p + 8, true);
  if (nsec === UTIME_NOW) return "now";
  if (nsec === UTIME_OMIT) return null;
  return view.getBigInt64(p, true) * 1_000_000_000n + BigInt(nsec);
}
