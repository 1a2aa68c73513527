/**
 * preview1 path_* syscalls: every path is resolved by the VirtualFs from the directory
 * fd it is relative to, inside the virtual tree. Rights are not enforced (the mounts
 * decide what may change); path_link is ENOTSUP.
 */
import { DirInode } from "../vfs/inode.js";
import { MAX_PATH_BYTES } from "../vfs/resolve.js";
import { Errno } from "./errno.js";
import { FdFlags, LookupFlags, OFlags, Rights } from "./abi.js";
import { DirFd, FileFd, statOf } from "./fd.js";
import { timesFromFlags, writeFilestat } from "./preview1-fd.js";
import { guard, u32, type SyscallContext, type WasiFunction } from "./syscall-context.js";

const encoder = new TextEncoder();

/** All path_* functions of wasi_snapshot_preview1. */
export function pathSyscalls(ctx: SyscallContext): Record<string, WasiFunction> {
  const { mem, fs, fds } = ctx;
  const dirOf = (f: number): DirInode => fds.get(u32(f)).directory();
  const str = (ptr: number, len: number): string => mem.readString(u32(ptr), u32(len), MAX_PATH_BYTES);
  const follows = (flags: number): boolean => (flags & LookupFlags.symlinkFollow) !== 0;

  return {
    path_create_directory: guard(ctx, (f: number, p: number, l: number) => void fs.mkdir(str(p, l), { from: dirOf(f) })),
    path_filestat_get: guard(ctx, (f: number, flags: number, p: number, l: number, out: number) => {
      const inode = fs.resolve(str(p, l), { from: dirOf(f), follow: follows(flags) });
      writeFilestat(mem, u32(out), statOf(fs, inode));
    }),
    path_filestat_set_times: guard(ctx, (f: number, flags: number, p: number, l: number, atim: bigint, mtim: bigint, fst: number) => {
      const inode = fs.resolve(str(p, l), { from: dirOf(f), follow: follows(flags) });
      const [a, m] = timesFromFlags(atim, mtim, fst);
      fs.setTimes(inode, a, m);
    }),
    path_link: guard(ctx, (oldFd: number, _flags: number, _op: number, _ol: number, newFd: number) => {
      dirOf(oldFd);
      dirOf(newFd);
      return Errno.notsup;
    }),
    path_open: guard(
      ctx,
      (f: number, dirflags: number, p: number, l: number, oflags: number, rightsBase: bigint, _inh: bigint, fdflags: number, out: number) => {
        const wantDir = (oflags & OFlags.directory) !== 0;
        const write = !wantDir && (BigInt.asUintN(64, rightsBase) & Rights.fdWrite) !== 0n;
        const read = (BigInt.asUintN(64, rightsBase) & (Rights.fdRead | Rights.fdReaddir)) !== 0n || !write;
        // EMFILE before anything changes: a refused open must not create or truncate the file.
        fds.checkRoom();
        const opened = fs.open(str(p, l), {
          from: dirOf(f),
          follow: follows(dirflags),
          create: (oflags & OFlags.creat) !== 0,
          exclusive: (oflags & OFlags.excl) !== 0,
          truncate: (oflags & OFlags.trunc) !== 0,
          directory: wantDir,
          append: (fdflags & FdFlags.append) !== 0,
          read,
          write,
        });
        const entry = opened instanceof DirInode ? new DirFd(fs, opened) : new FileFd(fs, opened);
        entry.fdflags = fdflags & 0xffff;
        mem.setU32(u32(out), fds.add(entry));
      },
    ),
    path_readlink: guard(ctx, (f: number, p: number, l: number, buf: number, bufLen: number, usedPtr: number) => {
      const target = encoder.encode(fs.readlink(str(p, l), { from: dirOf(f) }));
      const n = Math.min(target.length, u32(bufLen));
      mem.write(u32(buf), target.subarray(0, n));
      mem.setU32(u32(usedPtr), n);
    }),
    path_remove_directory: guard(ctx, (f: number, p: number, l: number) => fs.rmdir(str(p, l), { from: dirOf(f) })),
    path_rename: guard(ctx, (f: number, op: number, ol: number, nf: number, np: number, nl: number) => {
      fs.rename(str(op, ol), str(np, nl), { from: dirOf(f), toFrom: dirOf(nf) });
    }),
    path_symlink: guard(ctx, (op: number, ol: number, f: number, np: number, nl: number) => {
      fs.symlink(str(op, ol), str(np, nl), { from: dirOf(f) });
    }),
    path_unlink_file: guard(ctx, (f: number, p: number, l: number) => fs.unlink(str(p, l), { from: dirOf(f) })),
  };
}
