/**
 * File descriptors, in browser_wasi_shim's style: a base class whose every operation
 * fails with ENOTSUP (or the errno POSIX gives for that kind of fd), and subclasses
 * for stdin, the capped output streams, open files and directories that override only
 * what they support. Operations throw VfsError; the syscall layer turns it into errno.
 */
import { fail } from "../vfs/errors.js";
import type { DirInode, Inode } from "../vfs/inode.js";
import type { OpenFile } from "../vfs/open-file.js";
import type { VirtualFs } from "../vfs/virtual-fs.js";
import { ALL_RIGHTS, FdFlags, FileType, Rights, Whence } from "./abi.js";
import type { ByteSink } from "./output-sink.js";

/** What `fd_filestat_get` reports. */
export interface FdStat {
  readonly ino: bigint;
  readonly filetype: number;
  readonly nlink: bigint;
  readonly size: bigint;
  readonly atimeNs: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** One directory entry as fd_readdir serializes it. */
export interface DirentRecord {
  readonly name: string;
  readonly ino: bigint;
  readonly filetype: number;
}

/** The WASI filetype of an inode. */
export function inodeFileType(inode: Inode): number {
  return inode.kind === "directory" ? FileType.directory : inode.kind === "file" ? FileType.regularFile : FileType.symbolicLink;
}

/** Base fd: every operation unsupported. */
export abstract class Fd {
  abstract readonly filetype: number;
  /** fdflags as set by path_open / fd_fdstat_set_flags. */
  fdflags = 0;

  /** Rights reported by fd_fdstat_get (informational: the host does not enforce them). */
  rightsBase(): bigint {
    return ALL_RIGHTS;
  }
  /** fd_read into `dst`; returns the count. */
  read(_dst: Uint8Array): number {
    return fail("notsup");
  }
  /** fd_pread at `offset`. */
  pread(_dst: Uint8Array, _offset: bigint): number {
    return fail("notsup");
  }
  /** fd_write; returns the count. */
  write(_src: Uint8Array): number {
    return fail("notsup");
  }
  /** fd_pwrite at `offset`. */
  pwrite(_src: Uint8Array, _offset: bigint): number {
    return fail("notsup");
  }
  /** fd_seek; returns the new offset. */
  seek(_offset: bigint, _whence: number): bigint {
    return fail("spipe");
  }
  /** fd_tell. */
  tell(): bigint {
    return fail("spipe");
  }
  /** fd_filestat_get. */
  stat(): FdStat {
    return { ino: 0n, filetype: this.filetype, nlink: 1n, size: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n };
  }
  /** fd_filestat_set_size. */
  setSize(_size: bigint): void {
    fail("inval");
  }
  /** fd_filestat_set_times (null = leave, "now" = current time). */
  setTimes(_atimeNs: bigint | "now" | null, _mtimeNs: bigint | "now" | null): void {
    fail("notsup");
  }
  /** fd_allocate. */
  allocate(_offset: bigint, _len: bigint): void {
    fail("notsup");
  }
  /** fd_fdstat_set_flags. */
  setFdFlags(flags: number): void {
    this.fdflags = flags;
  }
  /** Directory entries, `.` and `..` first; `cookie` is where fd_readdir resumes. */
  readdir(_cookie?: bigint): DirentRecord[] {
    return fail("notdir");
  }
  /** The directory path_* calls start from. */
  directory(): DirInode {
    return fail("notdir");
  }
  /** The preopen's guest path (fd_prestat_get); non-preopens fail with EBADF. */
  preopenPath(): string {
    return fail("badf");
  }
  /** The fd was closed (it is the only fd of its description: preview1 has no dup). */
  close(): void {}
}

/** fd 0: reads a fixed byte buffer. */
export class StdinFd extends Fd {
  readonly filetype = FileType.characterDevice;
  private readonly data: Uint8Array;
  private pos = 0;

  constructor(data: Uint8Array) {
    super();
    this.data = data;
  }
  override rightsBase(): bigint {
    // Seek/tell rights make wasi-libc's isatty() false: stdin is data, not a terminal.
    return Rights.fdRead | Rights.fdSeek | Rights.fdTell | Rights.fdFilestatGet | Rights.pollFdReadwrite;
  }
  override read(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.data.length - this.pos);
    if (n <= 0) return 0;
    dst.set(this.data.subarray(this.pos, this.pos + n));
    this.pos += n;
    return n;
  }
  override seek(offset: bigint, whence: number): bigint {
    const base = whence === Whence.set ? 0n : whence === Whence.cur ? BigInt(this.pos) : whence === Whence.end ? BigInt(this.data.length) : fail("inval");
    const next = base + offset;
    if (next < 0n) fail("inval");
    this.pos = Number(next > BigInt(this.data.length) ? BigInt(this.data.length) : next);
    return next;
  }
  override tell(): bigint {
    return BigInt(this.pos);
  }
  override stat(): FdStat {
    return { ...super.stat(), size: BigInt(this.data.length) };
  }
}

/** fd 1/2: writes go to a (capped) sink and always report full success. */
export class OutputFd extends Fd {
  readonly filetype = FileType.characterDevice;
  private readonly sink: ByteSink;

  constructor(sink: ByteSink) {
    super();
    this.sink = sink;
  }
  override rightsBase(): bigint {
    // No seek/tell: wasi-libc's isatty() is true, so guests line-buffer and their
    // output survives a trap (fuel, timeout) mid-run.
    return Rights.fdWrite | Rights.fdFilestatGet | Rights.pollFdReadwrite;
  }
  override write(src: Uint8Array): number {
    this.sink.write(src);
    return src.length;
  }
}

/** An open regular file. */
export class FileFd extends Fd {
  readonly filetype = FileType.regularFile;
  readonly file: OpenFile;
  private readonly fs: VirtualFs;

  constructor(fs: VirtualFs, file: OpenFile) {
    super();
    this.fs = fs;
    this.file = file;
    this.fdflags = file.mode.append ? FdFlags.append : 0;
  }
  override read(dst: Uint8Array): number {
    return this.file.read(dst);
  }
  override pread(dst: Uint8Array, offset: bigint): number {
    return this.file.pread(dst, toOffset(offset));
  }
  override write(src: Uint8Array): number {
    return this.file.write(src);
  }
  override pwrite(src: Uint8Array, offset: bigint): number {
    // POSIX leaves pwrite with O_APPEND to the OS (Linux appends); WASI hosts differ.
    // We honour the offset, as the spec's signature implies.
    return this.file.pwrite(src, toOffset(offset));
  }
  override seek(offset: bigint, whence: number): bigint {
    const w = whence === Whence.set ? "set" : whence === Whence.cur ? "cur" : whence === Whence.end ? "end" : fail("inval");
    return BigInt(this.file.seek(toSigned(offset), w));
  }
  override tell(): bigint {
    return BigInt(this.file.position);
  }
  override stat(): FdStat {
    return statOf(this.fs, this.file.inode);
  }
  override setSize(size: bigint): void {
    this.file.truncate(toOffset(size));
  }
  override setTimes(atimeNs: bigint | "now" | null, mtimeNs: bigint | "now" | null): void {
    this.fs.setTimes(this.file.inode, atimeNs, mtimeNs);
  }
  override allocate(offset: bigint, len: bigint): void {
    const end = toOffset(offset) + toOffset(len);
    if (end > this.file.inode.size) this.file.truncate(end);
  }
  override setFdFlags(flags: number): void {
    this.fdflags = flags;
    this.file.mode.append = (flags & FdFlags.append) !== 0;
  }
  override close(): void {
    this.file.close();
  }
}

/** An open directory (and, with a guest path, a preopen). */
export class DirFd extends Fd {
  readonly filetype = FileType.directory;
  readonly dir: DirInode;
  private readonly fs: VirtualFs;
  private readonly preopen: string | null;
  /** The listing fd_readdir pages through; taken afresh when a guest starts at cookie 0. */
  private snapshot: DirentRecord[] | null = null;

  constructor(fs: VirtualFs, dir: DirInode, preopen: string | null = null) {
    super();
    this.fs = fs;
    this.dir = dir;
    this.preopen = preopen;
  }
  override read(): number {
    return fail("isdir");
  }
  override pread(): number {
    return fail("isdir");
  }
  override write(): number {
    return fail("isdir");
  }
  override pwrite(): number {
    return fail("isdir");
  }
  override stat(): FdStat {
    return statOf(this.fs, this.dir);
  }
  override setTimes(atimeNs: bigint | "now" | null, mtimeNs: bigint | "now" | null): void {
    this.fs.setTimes(this.dir, atimeNs, mtimeNs);
  }
  /**
   * Entries for fd_readdir. A listing is taken at cookie 0 and reused for later cookies,
   * so paging through a huge directory is linear (not quadratic) and stable while the
   * guest deletes entries as it goes (rmtree); POSIX allows either view.
   */
  override readdir(cookie = 0n): DirentRecord[] {
    if (cookie !== 0n && this.snapshot !== null) return this.snapshot;
    const parent = this.dir.parent ?? this.dir;
    const entries: DirentRecord[] = [
      { name: ".", ino: this.dir.ino, filetype: FileType.directory },
      { name: "..", ino: parent.ino, filetype: FileType.directory },
    ];
    for (const { name, inode } of this.fs.readdir(this.dir)) entries.push({ name, ino: inode.ino, filetype: inodeFileType(inode) });
    this.snapshot = entries;
    return entries;
  }
  override directory(): DirInode {
    return this.dir;
  }
  override preopenPath(): string {
    return this.preopen ?? fail("badf");
  }
}

/** Converts a VirtualFs stat into the WASI shape. */
export function statOf(fs: VirtualFs, inode: Inode): FdStat {
  const st = fs.statInode(inode);
  return {
    ino: st.ino,
    filetype: inodeFileType(inode),
    nlink: BigInt(st.nlink),
    size: BigInt(st.size),
    atimeNs: st.atimeNs,
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
  };
}

function toOffset(v: bigint): number {
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) fail(v < 0n ? "inval" : "fbig");
  return Number(v);
}

function toSigned(v: bigint): number {
  const s = BigInt.asIntN(64, v);
  if (s > BigInt(Number.MAX_SAFE_INTEGER) || s < -BigInt(Number.MAX_SAFE_INTEGER)) fail("inval");
  return Number(s);
}
