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

  private reserve(size: number): void {
    if (size > Number.MAX_SAFE_INTEGER) fail("fbig");
    const data = this.ensure();
    if (size <= data.length && this.owned) return;
    this.owned = true;
    // A first copy of loaded bytes is exact; growth doubles (at most +64 MiB at a time),
    // so appends stay linear and tiny files stay tiny.
    const needed = Math.max(size, this.len);
    const grown = new Uint8Array(needed <= data.length ? needed : Math.max(needed, Math.min(data.length * 2, data.length + 64 * 1024 * 1024)));
    grown.set(data.subarray(0, this.len));
    this.buf = grown;
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
