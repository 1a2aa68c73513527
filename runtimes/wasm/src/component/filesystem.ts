/**
 * `wasi:filesystem` for components over the run's VirtualFs: the same tree the preview1
 * imports use (`/app` read-write and journaled, read-only mounts, a read-only `/` of
 * mount points), so path resolution never leaves the virtual tree. Errors are thrown as
 * WASI 0.2 `error-code` strings, which jco's glue returns as `err`.
 */
import { VfsError, type DirInode, type ErrnoName, type Inode, type OpenFile, type VirtualFs } from "@llm-wasm-sandbox/wasi-host/driver";

/** Stream factories of the shim's browser io (see wasi-p2-imports.ts). */
export interface StreamFactory {
  inputStreamCreate(handler: { blockingRead(len: bigint): Uint8Array }): unknown;
  outputStreamCreate(handler: { write(buf: Uint8Array): void; blockingFlush?(): void; checkWrite?(): bigint }): unknown;
  /** A `wasi:io/error` resource (what a stream's `last-operation-failed` carries). */
  ioErrorCreate(message: string): object;
}

/** Where an io error made from a filesystem failure keeps its error-code (for filesystem-error-code). */
const ERROR_CODE = Symbol("wasi:filesystem error-code");

interface PathFlags { readonly symlinkFollow?: boolean }
interface OpenFlags { readonly create?: boolean; readonly directory?: boolean; readonly exclusive?: boolean; readonly truncate?: boolean }
interface DescriptorFlags { readonly read?: boolean; readonly write?: boolean; readonly mutateDirectory?: boolean }
type Timestamp = { seconds: bigint; nanoseconds: number };

const ERROR_CODES: Partial<Record<ErrnoName, string>> = {
  acces: "access", badf: "bad-descriptor", busy: "busy", exist: "exist", fbig: "file-too-large", inval: "invalid",
  io: "io", isdir: "is-directory", loop: "loop", mfile: "insufficient-memory", notdir: "not-directory",
  noent: "no-entry", notempty: "not-empty", perm: "not-permitted", rofs: "read-only", nospc: "insufficient-space",
  nametoolong: "name-too-long", notsup: "unsupported", xdev: "cross-device",
} as Partial<Record<ErrnoName, string>>;

/** The symbol jco's glue calls on a host resource the guest dropped (its `symbolDispose`). */
const SYMBOL_DISPOSE: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for("dispose");

/** Builds the `wasi:filesystem/types` and `wasi:filesystem/preopens` interfaces. */
export function createFilesystem(fs: VirtualFs, io: StreamFactory, sync: () => void): { types: Record<string, unknown>; preopens: Record<string, unknown> } {
  const guard = <T>(fn: () => T): T => {
    sync();
    try {
      return fn();
    } catch (error) {
      if (VfsError.isInstance(error)) throw ERROR_CODES[error.errno] ?? "io";
      throw error;
    }
  };
  /**
   * Stream operations fail with a `stream-error`, not an error-code: a VfsError (ENOSPC
   * past the workspace cap, EIO from a host file) becomes `last-operation-failed` with
   * an io error that filesystem-error-code maps back. A bare error-code string there
   * failed the whole run as a host error.
   */
  const streamGuard = <T>(fn: () => T): T => {
    sync();
    try {
      return fn();
    } catch (error) {
      if (!VfsError.isInstance(error)) throw error;
      const code = ERROR_CODES[error.errno] ?? "io";
      throw { tag: "last-operation-failed", val: Object.assign(io.ioErrorCreate(code), { [ERROR_CODE]: code }) };
    }
  };
  const typeOf = (inode: Inode): string => (inode.kind === "directory" ? "directory" : inode.kind === "file" ? "regular-file" : "symbolic-link");
  const ts = (ns: bigint): Timestamp => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });
  const statOf = (inode: Inode) => {
    const s = fs.statInode(inode);
    return { type: typeOf(inode), linkCount: BigInt(s.nlink), size: BigInt(s.size), dataAccessTimestamp: ts(s.atimeNs), dataModificationTimestamp: ts(s.mtimeNs), statusChangeTimestamp: ts(s.ctimeNs) };
  };

  class DirectoryEntryStream {
    #entries: { type: string; name: string }[];
    constructor(entries: { type: string; name: string }[]) {
      this.#entries = entries;
    }
    readDirectoryEntry(): { type: string; name: string } | undefined {
      return this.#entries.shift();
    }
  }

  class Descriptor {
    readonly #inode: Inode;
    readonly #file: OpenFile | null;
    constructor(inode: Inode, file: OpenFile | null) {
      this.#inode = inode;
      this.#file = file;
    }
    #dir(): DirInode {
      if (this.#inode.kind !== "directory") throw "not-directory";
      return this.#inode;
    }
    #open(): OpenFile {
      if (!this.#file) throw "is-directory";
      return this.#file;
    }
    /** jco calls this when the guest drops the descriptor: an unlinked file stops counting then. */
    [SYMBOL_DISPOSE](): void {
      this.#file?.close();
    }
    readViaStream(offset: bigint) {
      const file = this.#open();
      let pos = Number(offset);
      return io.inputStreamCreate({
        blockingRead: (len) =>
          streamGuard(() => {
            const buf = new Uint8Array(Math.min(Number(len), 1 << 20));
            const n = file.pread(buf, pos);
            if (n === 0 && buf.length > 0) throw { tag: "closed" };
            pos += n;
            return buf.subarray(0, n);
          }),
      });
    }
    writeViaStream(offset: bigint) {
      const file = this.#open();
      let pos = Number(offset);
      return io.outputStreamCreate({ write: (buf) => streamGuard(() => void (pos += file.pwrite(buf, pos))), blockingFlush: sync });
    }
    appendViaStream() {
      const file = this.#open();
      return io.outputStreamCreate({ write: (buf) => streamGuard(() => void file.pwrite(buf, file.inode.size)), blockingFlush: sync });
    }
    advise(): void {}
    syncData(): void {}
    sync(): void {}
    getFlags(): DescriptorFlags {
      return this.#file ? { read: this.#file.mode.readable, write: this.#file.mode.writable } : { read: true, mutateDirectory: !this.#inode.readonly };
    }
    getType(): string {
      return typeOf(this.#inode);
    }
    setSize(size: bigint): void {
      const file = this.#open();
      guard(() => fs.truncate(file.inode, Number(size)));
    }
    setTimes(): void {}
    setTimesAt(): void {}
    read(length: bigint, offset: bigint): [Uint8Array, boolean] {
      const file = this.#open();
      return guard(() => {
        const buf = new Uint8Array(Math.min(Number(length), 1 << 20));
        const n = file.pread(buf, Number(offset));
        return [buf.subarray(0, n), Number(offset) + n >= file.inode.size];
      });
    }
    write(buffer: Uint8Array, offset: bigint): bigint {
      const file = this.#open();
      return guard(() => BigInt(file.pwrite(buffer, Number(offset))));
    }
    readDirectory(): DirectoryEntryStream {
      const dir = this.#dir();
      return guard(() => new DirectoryEntryStream(fs.readdir(dir).map((e) => ({ type: typeOf(e.inode), name: e.name }))));
    }
    createDirectoryAt(path: string): void {
      const from = this.#dir();
      guard(() => fs.mkdir(path, { from }));
    }
    stat() {
      return guard(() => statOf(this.#inode));
    }
    statAt(flags: PathFlags, path: string) {
      const from = this.#dir();
      return guard(() => statOf(fs.resolve(path, { from, follow: flags.symlinkFollow === true })));
    }
    linkAt(): never {
      throw "not-permitted";
    }
    openAt(flags: PathFlags, path: string, open: OpenFlags, descriptorFlags: DescriptorFlags): Descriptor {
      const from = this.#dir();
      return guard(() => {
        const opened = fs.open(path, {
          from,
          follow: flags.symlinkFollow === true,
          read: descriptorFlags.read === true,
          write: descriptorFlags.write === true,
          create: open.create === true,
          exclusive: open.exclusive === true,
          truncate: open.truncate === true,
          directory: open.directory === true,
        });
        return opened.kind === "directory" ? new Descriptor(opened, null) : new Descriptor(opened.inode, opened);
      });
    }
    readlinkAt(path: string): string {
      const from = this.#dir();
      return guard(() => fs.readlink(path, { from }));
    }
    removeDirectoryAt(path: string): void {
      const from = this.#dir();
      guard(() => fs.rmdir(path, { from }));
    }
    renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
      const from = this.#dir();
      const toFrom = newDescriptor.#dir();
      guard(() => fs.rename(oldPath, newPath, { from, toFrom }));
    }
    symlinkAt(oldPath: string, newPath: string): void {
      const from = this.#dir();
      guard(() => fs.symlink(oldPath, newPath, { from }));
    }
    unlinkFileAt(path: string): void {
      const from = this.#dir();
      guard(() => fs.unlink(path, { from }));
    }
    isSameObject(other: Descriptor): boolean {
      return other.#inode === this.#inode;
    }
    metadataHash(): { lower: bigint; upper: bigint } {
      return { lower: this.#inode.ino, upper: 0n };
    }
    metadataHashAt(flags: PathFlags, path: string): { lower: bigint; upper: bigint } {
      const from = this.#dir();
      return guard(() => ({ lower: fs.resolve(path, { from, follow: flags.symlinkFollow === true }).ino, upper: 0n }));
    }
  }

  const preopens: [Descriptor, string][] = [...fs.mounts().map((m): [Descriptor, string] => [new Descriptor(m.dir, null), m.guestPath]), [new Descriptor(fs.root, null), "/"]];
  return {
    types: {
      Descriptor,
      DirectoryEntryStream,
      // Descriptor calls throw error-code strings; stream failures carry it on their io error.
      filesystemErrorCode: (err: unknown) => (typeof err === "object" && err !== null ? (err as { [ERROR_CODE]?: string })[ERROR_CODE] : undefined),
    },
    preopens: { getDirectories: () => preopens },
  };
}
