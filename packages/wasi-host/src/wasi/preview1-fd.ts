/**
 * preview1 fd_* syscalls: reads and writes through iovecs, seeking, stat, readdir
 * serialization (with partial entries when the buffer ends mid-entry, as the spec
 * asks), preopen discovery.
 */
import { fail } from "../vfs/errors.js";
import { FstFlags, Layout } from "./abi.js";
import type { Fd, FdStat } from "./fd.js";
import type { GuestMemory } from "./memory-view.js";
import { guard, u32, type SyscallContext, type WasiFunction } from "./syscall-context.js";

const encoder = new TextEncoder();

/** All fd_* functions of wasi_snapshot_preview1. */
export function fdSyscalls(ctx: SyscallContext): Record<string, WasiFunction> {
  const { mem, fds } = ctx;
  const fd = (n: number): Fd => fds.get(u32(n));

  return {
    fd_advise: guard(ctx, (f: number) => void fd(f)),
    fd_allocate: guard(ctx, (f: number, offset: bigint, len: bigint) => fd(f).allocate(offset, len)),
    fd_close: guard(ctx, (f: number) => fds.close(u32(f))),
    fd_datasync: guard(ctx, (f: number) => void fd(f)),
    fd_sync: guard(ctx, (f: number) => void fd(f)),
    fd_fdstat_get: guard(ctx, (f: number, ptr: number) => {
      const entry = fd(f);
      const L = Layout.fdstat;
      const p = u32(ptr);
      mem.write(p, new Uint8Array(L.size));
      mem.setU8(p + L.filetype, entry.filetype);
      mem.setU16(p + L.flags, entry.fdflags);
      mem.setU64(p + L.rightsBase, entry.rightsBase());
      mem.setU64(p + L.rightsInheriting, entry.rightsBase());
    }),
    fd_fdstat_set_flags: guard(ctx, (f: number, flags: number) => fd(f).setFdFlags(flags & 0xffff)),
    fd_fdstat_set_rights: guard(ctx, (f: number) => void fd(f)),
    fd_filestat_get: guard(ctx, (f: number, ptr: number) => writeFilestat(mem, u32(ptr), fd(f).stat())),
    fd_filestat_set_size: guard(ctx, (f: number, size: bigint) => fd(f).setSize(size)),
    fd_filestat_set_times: guard(ctx, (f: number, atim: bigint, mtim: bigint, flags: number) => {
      const [a, m] = timesFromFlags(atim, mtim, flags);
      fd(f).setTimes(a, m);
    }),
    fd_pread: guard(ctx, (f: number, iovs: number, n: number, offset: bigint, outPtr: number) => {
      const entry = fd(f);
      let total = 0;
      for (const [ptr, len] of mem.iovecs(u32(iovs), u32(n))) {
        const got = entry.pread(mem.slice(ptr, len), offset + BigInt(total));
        total += got;
        if (got < len) break;
      }
      mem.setU32(u32(outPtr), total);
    }),
    fd_read: guard(ctx, (f: number, iovs: number, n: number, outPtr: number) => {
      const entry = fd(f);
      let total = 0;
      for (const [ptr, len] of mem.iovecs(u32(iovs), u32(n))) {
        const got = entry.read(mem.slice(ptr, len));
        total += got;
        if (got < len) break;
      }
      mem.setU32(u32(outPtr), total);
    }),
    fd_pwrite: guard(ctx, (f: number, iovs: number, n: number, offset: bigint, outPtr: number) => {
      const entry = fd(f);
      const total = writeAll(mem, u32(iovs), u32(n), (bytes, done) => entry.pwrite(bytes, offset + BigInt(done)));
      mem.setU32(u32(outPtr), total);
    }),
    fd_write: guard(ctx, (f: number, iovs: number, n: number, outPtr: number) => {
      const entry = fd(f);
      const total = writeAll(mem, u32(iovs), u32(n), (bytes) => entry.write(bytes));
      mem.setU32(u32(outPtr), total);
    }),
    fd_prestat_get: guard(ctx, (f: number, ptr: number) => {
      const name = encoder.encode(fd(f).preopenPath());
      const p = u32(ptr);
      mem.setU32(p, 0);
      mem.setU8(p + Layout.prestat.tag, 0);
      mem.setU32(p + Layout.prestat.nameLen, name.length);
    }),
    fd_prestat_dir_name: guard(ctx, (f: number, ptr: number, len: number) => {
      const name = encoder.encode(fd(f).preopenPath());
      mem.write(u32(ptr), name.subarray(0, Math.min(u32(len), name.length)));
    }),
    fd_readdir: guard(ctx, (f: number, buf: number, bufLen: number, cookie: bigint, usedPtr: number) => {
      const used = writeDirents(mem, fd(f), u32(buf), u32(bufLen), cookie);
      mem.setU32(u32(usedPtr), used);
    }),
    fd_renumber: guard(ctx, (from: number, to: number) => fds.renumber(u32(from), u32(to))),
    fd_seek: guard(ctx, (f: number, offset: bigint, whence: number, outPtr: number) => {
      mem.setU64(u32(outPtr), fd(f).seek(offset, whence & 0xff));
    }),
    fd_tell: guard(ctx, (f: number, outPtr: number) => mem.setU64(u32(outPtr), fd(f).tell())),
  };
}

/** Writes a filestat struct. */
export function writeFilestat(mem: GuestMemory, ptr: number, st: FdStat): void {
  const L = Layout.filestat;
  mem.write(ptr, new Uint8Array(L.size));
  mem.setU64(ptr + L.ino, st.ino);
  mem.setU8(ptr + L.filetype, st.filetype);
  mem.setU64(ptr + L.nlink, st.nlink);
  mem.setU64(ptr + L.size_, st.size);
  mem.setU64(ptr + L.atim, st.atimeNs);
  mem.setU64(ptr + L.mtim, st.mtimeNs);
  mem.setU64(ptr + L.ctim, st.ctimeNs);
}

/** Decodes fstflags into the (atime, mtime) arguments of setTimes. @throws inval */
export function timesFromFlags(atim: bigint, mtim: bigint, flags: number): [bigint | "now" | null, bigint | "now" | null] {
  if ((flags & FstFlags.atim) !== 0 && (flags & FstFlags.atimNow) !== 0) fail("inval");
  if ((flags & FstFlags.mtim) !== 0 && (flags & FstFlags.mtimNow) !== 0) fail("inval");
  const a = (flags & FstFlags.atimNow) !== 0 ? "now" : (flags & FstFlags.atim) !== 0 ? BigInt.asUintN(64, atim) : null;
  const m = (flags & FstFlags.mtimNow) !== 0 ? "now" : (flags & FstFlags.mtim) !== 0 ? BigInt.asUintN(64, mtim) : null;
  return [a, m];
}

/**
 * Writes every iovec; a failure after some bytes were written reports the partial
 * count (as POSIX write does) instead of losing it behind an errno.
 */
function writeAll(mem: GuestMemory, iovs: number, n: number, write: (bytes: Uint8Array, done: number) => number): number {
  let total = 0;
  for (const [ptr, len] of mem.iovecs(iovs, n)) {
    if (len === 0) continue;
    try {
      total += write(mem.slice(ptr, len), total);
    } catch (error) {
      if (total > 0) return total;
      throw error;
    }
  }
  return total;
}

/**
 * Serializes entries from index `cookie` on. Each entry is a 24-byte dirent header and
 * its name; the last one is cut at the buffer end, so `bufused === bufLen` tells the
 * guest to call again with a larger buffer or the next cookie.
 */
function writeDirents(mem: GuestMemory, entry: Fd, buf: number, bufLen: number, cookie: bigint): number {
  const entries = entry.readdir(cookie);
  const L = Layout.dirent;
  let used = 0;
  const header = new Uint8Array(L.size);
  const hv = new DataView(header.buffer);
  for (let i = Number(cookie); i < entries.length && used < bufLen; i++) {
    const d = entries[i];
    if (d === undefined) break;
    const name = encoder.encode(d.name);
    hv.setBigUint64(L.next, BigInt(i + 1), true);
    hv.setBigUint64(L.ino, d.ino, true);
    hv.setUint32(L.namlen, name.length, true);
    hv.setUint32(L.type, 0, true);
    hv.setUint8(L.type, d.filetype);
    const record = new Uint8Array(L.size + name.length);
    record.set(header);
    record.set(name, L.size);
    const take = Math.min(record.length, bufLen - used);
    mem.write(buf + used, record.subarray(0, take));
    used += take;
  }
  return used;
}

