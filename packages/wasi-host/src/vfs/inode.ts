/**
 * The in-memory inode tree: directories, regular files and symlinks. Names inside a
 * directory are plain map keys, so a guest-supplied name can only ever select an
 * existing child; nothing here knows about host paths.
 */
import { fail } from "./errors.js";

/** Which mount an inode belongs to; decides whether it may change. */
export interface MountInfo {
  /**
   * `root` is the synthetic `/`, `workspace` is `/app`, `scratch` a writable run-only
   * directory (`/tmp`), `readonly` any other mount.
   */
  readonly kind: "root" | "workspace" | "scratch" | "readonly";
  /** Absolute guest path of the mount point (`/` for the root). */
  readonly guestPath: string;
}

/** Timestamps in nanoseconds since the epoch, as WASI reports them. */
export interface InodeTimes {
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** Any node of the tree. */
export type Inode = DirInode | FileInode | SymlinkInode;

/** Fields common to every inode kind. */
abstract class InodeBase {
  readonly ino: bigint;
  readonly mount: MountInfo;
  readonly times: InodeTimes;

  constructor(ino: bigint, mount: MountInfo, nowNs: bigint) {
    this.ino = ino;
    this.mount = mount;
    this.times = { atimeNs: nowNs, mtimeNs: nowNs, ctimeNs: nowNs };
  }

  /** True when the mount forbids changes (everything but /app and /tmp). */
  get readonly(): boolean {
    return this.mount.kind !== "workspace" && this.mount.kind !== "scratch";
  }
}

/**
 * A directory. Children of host-backed directories are listed on first access
 * (`populate`), so mounting a large tree costs nothing until the guest looks in it.
 */
export class DirInode extends InodeBase {
  readonly kind = "directory" as const;
  /** The directory `..` leads to; null only for the virtual root. */
  parent: DirInode | null;
  private entries: Map<string, Inode> | null;
  private populate: ((dir: DirInode) => Map<string, Inode>) | null;

  constructor(
    ino: bigint,
    mount: MountInfo,
    nowNs: bigint,
    parent: DirInode | null,
    populate: ((dir: DirInode) => Map<string, Inode>) | null = null,
  ) {
    super(ino, mount, nowNs);
    this.parent = parent;
    this.populate = populate;
    this.entries = populate === null ? new Map() : null;
  }

  /** The children by name (populated lazily for host-backed directories). */
  get children(): Map<string, Inode> {
    if (this.entries === null) {
      const load = this.populate;
      this.populate = null;
      this.entries = load === null ? new Map() : load(this);
    }
    return this.entries;
  }

  /** Adds or replaces a child, keeping `parent` of directories right. */
  link(name: string, child: Inode): void {
    this.children.set(name, child);
    if (child.kind === "directory") child.parent = this;
  }
}

/**
 * A regular file. Bytes are loaded on first read/write through `loader` (the session
 * workspace or a host file), and kept in a buffer with spare capacity so that many
 * small appends stay linear.
 */
export class FileInode extends InodeBase {
  readonly kind = "file" as const;
  /**
   * Workspace-relative path this inode had in the initial /app listing; null for files
   * the run created. The journal uses it to tell "unchanged" cheaply.
   */
  origin: string | null = null;
  /** True once the content changed in this run (write, truncate, allocate). */
  dirty = false;
  /**
   * False once no directory entry names it (unlinked, or replaced by a rename). Its
   * bytes still count against the run's workspace cap while `opens` is above zero.
   */
  linked = true;
  /** Open file descriptions (OpenFile) on this inode not yet closed. */
  opens = 0;
  private buf: Uint8Array | null;
  private len: number;
  private loader: (() => Uint8Array) | null;
  /** Whether `buf` is ours to mutate (loaded or given bytes are copied before the first write). */
  private owned = false;
  /** The bytes as first loaded or given, kept unmodified for the journal's comparison. */
  private initial: Uint8Array | null = null;

  constructor(ino: bigint, mount: MountInfo, nowNs: bigint, content: Uint8Array | { size: number; load: () => Uint8Array }) {
    super(ino, mount, nowNs);
    if (content instanceof Uint8Array) {
      this.buf = content;
      this.initial = content;
      this.len = content.length;
      this.loader = null;
    } else {
      this.buf = null;
      this.len = content.size;
      this.loader = content.load;
    }
  }

  /**
   * The file's current bytes became what storage holds at `path` (a warm session committed
   * them): later runs compare against storage, not against what this run first loaded.
   */
  markCommitted(path: string): void {
    this.origin = path;
    this.dirty = false;
    this.initial = null;
  }

  /** Current size in bytes (known without loading lazy content). */
  get size(): number {
    return this.len;
  }

  /** True when the bytes are in memory. */
  get loaded(): boolean {
    return this.buf !== null;
  }

  /**
   * The bytes as they were loaded before this run changed them, or null when they
   * were never loaded (e.g. truncated to zero unread).
   */
  get initialBytes(): Uint8Array | null {
    return this.initial;
  }

  /** The file's bytes (a view; copy before keeping it across writes). */
  bytes(): Uint8Array {
    return this.ensure().subarray(0, this.len);
  }

  /** Copies up to `dst.length` bytes at `offset` into `dst`; returns the count. */
  read(dst: Uint8Array, offset: number): number {
    if (offset >= this.len) return 0;
    const data = this.ensure();
    const n = Math.min(dst.length, this.len - offset);
    dst.set(data.subarray(offset, offset + n));
    return n;
  }

  /** Writes `src` at `offset`, zero-filling any gap; returns the count. */
  write(src: Uint8Array, offset: number): number {
    const end = offset + src.length;
    this.reserve(end);
    const data = this.ensure();
    if (offset > this.len) data.fill(0, this.len, offset);
    data.set(src, offset);
    if (end > this.len) this.len = end;
    this.dirty = true;
    return src.length;
  }

  /** Sets the size, zero-filling when it grows. */
  truncate(size: number): void {
    if (size === this.len) {
      this.dirty = true;
      return;
    }
    if (size < this.len) {
      // Shrinking to zero need not load the old bytes at all (O_TRUNC on a lazy file).
      if (size === 0 && this.buf === null) {
        this.loader = null;
        this.buf = new Uint8Array(0);
        this.owned = true;
      } else this.reserve(size);
      this.len = size;
    } else {
      this.reserve(size);
      this.ensure().fill(0, this.len, size);
      this.len = size;
    }
    this.dirty = true;
  }

  private ensure(): Uint8Array {
    if (this.buf === null) {
      // The loader stays until it succeeds, so a failed load (EIO) can be retried.
      const data = this.loader === null ? new Uint8Array(0) : this.loader();
      this.loader = null;
      this.buf = data;
      this.initial = data;
      this.len = data.length;
    }
    return this.buf;
  }

  /**
   * Bytes currently reserved for the content (committed memory, not address space):
   * what the host holds for this file. Exposed so tests can pin the growth policy.
   */
  get capacity(): number {
    return this.buf === null ? 0 : this.buf.buffer.byteLength;
  }

  /**
   * The bytes for the journal, without a copy when possible: a large file's own
   * resizable buffer is shrunk to the content and returned whole (so it can be
   * transferred to the main thread). Small or borrowed buffers are copied, which is
   * cheap and keeps spare capacity and shared memory out of the journal. Later writes
   * through this inode may change a returned view, so take it when the run is over.
   */
  journalBytes(): Uint8Array {
    const data = this.ensure();
    const backing = resizableOf(data);
    if (this.owned && backing !== null) {
      backing.resize(this.len);
      this.buf = new Uint8Array(backing);
      return new Uint8Array(backing, 0, this.len);
    }
    return data.slice(0, this.len);
  }

  private reserve(size: number): void {
    if (size > Number.MAX_SAFE_INTEGER) fail("fbig");
    const data = this.ensure();
    if (size <= data.length && this.owned) return;
    const needed = Math.max(size, this.len);
    const backing = resizableOf(data);
    if (this.owned && backing !== null && needed <= backing.maxByteLength) {
      // Grows in place: the reserved address space gets committed, nothing is copied,
      // and no old buffer is left for the garbage collector to find late.
      backing.resize(nextCapacity(data.length, needed, backing.maxByteLength));
      this.buf = new Uint8Array(backing);
      return;
    }
    this.owned = true;
    const capacity = needed <= data.length ? needed : nextCapacity(data.length, needed, Number.MAX_SAFE_INTEGER);
    const grown = capacity >= LARGE_FILE_BYTES ? allocateResizable(capacity) : new Uint8Array(capacity);
    grown.set(data.subarray(0, this.len));
    this.buf = grown;
  }
}

/**
 * Above this size a file lives in a resizable ArrayBuffer that grows in place. Copying
 * growth (with old buffers collected late) let a guest writing N bytes make the host
 * hold several times N; small files keep plain buffers so they stay cheap.
 */
export const LARGE_FILE_BYTES = 4 * 1024 * 1024;

/** Address space reserved for a large file (only the used part is committed memory). */
const LARGE_FILE_RESERVE = 1024 * 1024 * 1024;
/** Committed slack of a growing large file: at most 1/8 of its size, in 64 KiB steps. */
const LARGE_GROWTH_DIVISOR = 8;
const GROWTH_STEP = 64 * 1024;

/**
 * The capacity after growth: doubling for small buffers (appends stay linear), then a
 * bounded factor (×1.125) so spare capacity never exceeds an eighth of the size.
 */
function nextCapacity(current: number, needed: number, max: number): number {
  if (needed <= current) return needed;
  const grown = current < LARGE_FILE_BYTES ? current * 2 : current + Math.ceil(current / LARGE_GROWTH_DIVISOR / GROWTH_STEP) * GROWTH_STEP;
  return Math.min(max, Math.max(needed, grown));
}

/** ES2024 resizable ArrayBuffer (Node 20 has it; the repo's TS lib predates it). */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
type ResizableArrayBufferConstructor = new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/** The view's buffer when it is a resizable ArrayBuffer, else null. */
function resizableOf(view: Uint8Array): ResizableArrayBuffer | null {
  const backing = view.buffer as ArrayBufferLike & Partial<ResizableArrayBuffer>;
  return backing instanceof ArrayBuffer && backing.resizable === true ? (backing as ResizableArrayBuffer) : null;
}

/**
 * A zero-filled buffer of `size` bytes that can later grow in place. Falls back to a
 * plain buffer when the engine cannot reserve the address space (many runs at once).
 */
function allocateResizable(size: number): Uint8Array {
  try {
    const options = { maxByteLength: Math.max(LARGE_FILE_RESERVE, size * 2) };
    return new Uint8Array(new (ArrayBuffer as unknown as ResizableArrayBufferConstructor)(size, options));
  } catch {
    return new Uint8Array(size);
  }
}

/** A symbolic link; its target is interpreted in the virtual tree only. */
export class SymlinkInode extends InodeBase {
  readonly kind = "symlink" as const;
  readonly target: string;

  constructor(ino: bigint, mount: MountInfo, nowNs: bigint, target: string) {
    super(ino, mount, nowNs);
    this.target = target;
  }
}
