/**
 * The fd-based imports of an emscripten module: the `wasi_snapshot_preview1` subset it
 * links (`fd_write`, `fd_read`, `fd_seek`, `fd_close`, which return a positive errno)
 * and the fd syscalls (`__syscall_fcntl64`, `__syscall_ioctl`, `__syscall_dup3`, which
 * return a negated one). fd 1 and 2 go to the capped output sinks.
 */
import { EmErrno } from "./errno.js";
import { MAX_FDS, type FdEntry } from "./fd-table.js";
import { O, sys, type FsState } from "./fs-syscalls.js";

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_GETLK = 5;
const F_SETLK = 6;
const F_SETLKW = 7;
const F_DUPFD_CLOEXEC = 1030;
const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;

/** Where fd 0–2 lead. */
export interface StdioSinks {
  readonly stdin: Uint8Array;
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
}

/** Turns a negated-errno syscall result into a WASI return (positive errno or 0). */
function wasi(result: number): number {
  return result < 0 ? -result : 0;
}

/** Creates the fd imports. */
export function createFdImports(st: FsState, stdio: StdioSinks) {
  const { mem } = st;

  const writev = (entry: FdEntry, iovs: number, iovcnt: number): number => {
    if (entry.kind === "stdout" || entry.kind === "stderr") {
      let total = 0;
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < iovcnt; i++) {
        const ptr = mem.u32(iovs + i * 8);
        const len = mem.u32(iovs + i * 8 + 4);
        if (len > 0) chunks.push(mem.copyOut(ptr, len));
        total += len;
      }
      const bytes = chunks.length === 1 ? chunks[0]! : concat(chunks, total);
      if (entry.kind === "stdout") stdio.writeStdout(bytes);
      else stdio.writeStderr(bytes);
      return total;
    }
    if (entry.kind !== "file") return -(entry.kind === "dir" ? EmErrno.ISDIR : EmErrno.BADF);
    let total = 0;
    for (let i = 0; i < iovcnt; i++) {
      const ptr = mem.u32(iovs + i * 8);
      const len = mem.u32(iovs + i * 8 + 4);
      total += entry.file.write(mem.subarray(ptr, len));
    }
    return total;
  };

  const readv = (entry: FdEntry, iovs: number, iovcnt: number): number => {
    let total = 0;
    for (let i = 0; i < iovcnt; i++) {
      const ptr = mem.u32(iovs + i * 8);
      const len = mem.u32(iovs + i * 8 + 4);
      let n: number;
      if (entry.kind === "stdin") {
        const src = stdio.stdin.subarray(entry.position, entry.position + len);
        mem.u8.set(src, ptr);
        entry.position += src.length;
        n = src.length;
      } else if (entry.kind === "file") n = entry.file.read(mem.subarray(ptr, len));
      else return -(entry.kind === "dir" ? EmErrno.ISDIR : EmErrno.BADF);
      total += n;
      if (n < len) break;
    }
    return total;
  };

  return {
    fd_write: (fd: number, iovs: number, iovcnt: number, pnum: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return EmErrno.BADF;
      const n = sys(() => writev(entry, iovs, iovcnt));
      if (n < 0) return -n;
      mem.setU32(pnum, n);
      return 0;
    },
    fd_read: (fd: number, iovs: number, iovcnt: number, pnum: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return EmErrno.BADF;
      const n = sys(() => readv(entry, iovs, iovcnt));
      if (n < 0) return -n;
      mem.setU32(pnum, n);
      return 0;
    },
    fd_seek: (fd: number, offset: bigint, whence: number, newOffsetPtr: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return EmErrno.BADF;
      if (entry.kind !== "file") return entry.kind === "dir" ? EmErrno.ISDIR : EmErrno.SPIPE;
      if (whence < 0 || whence > 2) return EmErrno.INVAL;
      if (offset > BigInt(Number.MAX_SAFE_INTEGER) || offset < -BigInt(Number.MAX_SAFE_INTEGER)) return EmErrno.OVERFLOW;
      return wasi(
        sys(() => {
          const pos = entry.file.seek(Number(offset), whence === 0 ? "set" : whence === 1 ? "cur" : "end");
          mem.setU64(newOffsetPtr, BigInt(pos));
          return 0;
        }),
      );
    },
    fd_close: (fd: number): number => (st.fds.delete(fd) ? 0 : EmErrno.BADF),
    fd_sync: (fd: number): number => (st.fds.get(fd) === undefined ? EmErrno.BADF : 0),
    fd_fdstat_get: (fd: number, buf: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return EmErrno.BADF;
      // filetype: 2 = character device, 3 = directory, 4 = regular file.
      const filetype = entry.kind === "file" ? 4 : entry.kind === "dir" ? 3 : 2;
      mem.u8.fill(0, buf, buf + 24);
      mem.u8[buf] = filetype;
      mem.view.setBigUint64(buf + 8, 0xffffffffn, true);
      mem.view.setBigUint64(buf + 16, 0xffffffffn, true);
      return 0;
    },
    __syscall_fcntl64: (fd: number, cmd: number, varargs: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return -EmErrno.BADF;
      switch (cmd) {
        case F_DUPFD:
        case F_DUPFD_CLOEXEC: {
          const min = varargs === 0 ? 0 : mem.i32(varargs);
          if (min < 0) return -EmErrno.INVAL;
          const next = st.fds.add(entry, min);
          return next < 0 ? -EmErrno.MFILE : next;
        }
        case F_GETFD:
        case F_SETFD:
        case F_GETLK:
        case F_SETLK:
        case F_SETLKW:
          return 0;
        case F_GETFL:
          return entry.kind === "file" || entry.kind === "dir" ? entry.flags : entry.kind === "stdin" ? 0 : O.WRONLY;
        case F_SETFL: {
          const flags = varargs === 0 ? 0 : mem.i32(varargs);
          if (entry.kind === "file") {
            entry.file.mode.append = (flags & O.APPEND) !== 0;
            entry.flags = (entry.flags & ~O.APPEND) | (flags & O.APPEND);
          }
          return 0;
        }
        default:
          return -EmErrno.INVAL;
      }
    },
    __syscall_ioctl: (fd: number, op: number, varargs: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return -EmErrno.BADF;
      // stdout and stderr claim to be terminals so that musl line-buffers them: output
      // printed before a trap (fuel, timeout) is then already in the sinks.
      if (entry.kind !== "stdout" && entry.kind !== "stderr") return -EmErrno.NOTTY;
      if (op === TIOCGWINSZ) {
        const argp = varargs === 0 ? 0 : mem.u32(varargs);
        if (argp !== 0) {
          mem.view.setUint16(argp, 24, true);
          mem.view.setUint16(argp + 2, 80, true);
          mem.view.setUint32(argp + 4, 0, true);
        }
        return 0;
      }
      return op === TCGETS ? 0 : -EmErrno.INVAL;
    },
    __syscall_dup: (fd: number): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return -EmErrno.BADF;
      const next = st.fds.add(entry);
      return next < 0 ? -EmErrno.MFILE : next;
    },
    __syscall_dup3: (fd: number, newfd: number, _flags: number): number => {
      const entry = st.fds.get(fd);
      // Past the table's size is EBADF (as Linux past RLIMIT_NOFILE): fd numbers stay bounded.
      if (entry === undefined || newfd < 0 || newfd >= MAX_FDS) return -EmErrno.BADF;
      if (fd === newfd) return -EmErrno.INVAL;
      st.fds.set(newfd, entry);
      return newfd;
    },
    __syscall_ftruncate64: (fd: number, length: bigint): number => {
      const entry = st.fds.get(fd);
      if (entry === undefined) return -EmErrno.BADF;
      if (entry.kind !== "file") return -EmErrno.INVAL;
      if (length < 0n || length > BigInt(Number.MAX_SAFE_INTEGER)) return -EmErrno.INVAL;
      return sys(() => (entry.file.truncate(Number(length)), 0));
    },
  };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
