/**
 * VirtualFs: the whole filesystem a guest sees. `/` is synthetic and read-only and
 * holds only mount points; `/app` is the session workspace (read-write, journaled);
 * other mounts are read-only. Every operation resolves paths inside the tree (see
 * resolve.ts) and fails by throwing VfsError with an errno name.
 */
import type { Journal, ReadonlyMount, WorkspaceEntry } from "@llm-wasm-sandbox/core";
import { DeviceInode, type DeviceHandler } from "./device.js";
import { fail } from "./errors.js";
import { nodeHostFs, type HostFs, type InodeFactory } from "./host-dir.js";
import { DirInode, FileInode, SymlinkInode, type Inode } from "./inode.js";
import { buildJournal, diffWorkspace, type ChangedPaths } from "./journal.js";
import { createRoot, mountReadonly, mountScratch, mountWorkspace, type MountPoint, type SyncFileLoader, type WorkspaceBaseline } from "./mount-table.js";
import { OpenFile, type FileWriter } from "./open-file.js";
import { placeSeeds, rebaseWorkspace } from "./rebase.js";
import { resolvePath, validatePath, type Resolved } from "./resolve.js";

/** Default cap on how much /app may grow in one run: 512 MiB. */
export const DEFAULT_MAX_WORKSPACE_BYTES = 512 * 1024 * 1024;
/** Default cap on files, directories and symlinks a run may create: 1 000 000. */
export const DEFAULT_MAX_CREATED_INODES = 1_000_000;
/**
 * Default cap on the host memory the entries a run creates may hold besides file contents
 * (names, symlink targets, inode bookkeeping): 256 MiB. Without it, 1M symlinks with 4 KiB
 * targets held ~4.4 GiB of host memory on 3 % of the default fuel.
 */
export const DEFAULT_MAX_METADATA_BYTES = 256 * 1024 * 1024;
/**
 * Host bytes charged per created entry besides its name and link target: the inode object,
 * its timestamps and the directory's map entry (measured ~570 B for a file; rounded up).
 */
export const ENTRY_HOST_BYTES = 768;
/** Default cap on the bytes a run may load from files of host-directory mounts: 1 GiB. */
export const DEFAULT_MAX_HOST_READ_BYTES = 1024 * 1024 * 1024;

/** See `VirtualFs.usage`. */
export interface WorkspaceUsage {
  readonly growthBytes: number;
  readonly maxWorkspaceBytes: number;
  readonly createdInodes: number;
  readonly maxCreatedInodes: number;
  readonly metadataBytes: number;
  readonly maxMetadataBytes: number;
}

/** Options of `createVirtualFs`. */
export interface VirtualFsOptions {
  /** The session workspace mounted at /app: its listing and a synchronous byte loader. */
  readonly workspace?: { readonly entries: readonly WorkspaceEntry[]; readonly load: SyncFileLoader };
  /** Files placed in /app before the run and left out of the journal (user_code.py). */
  readonly seedFiles?: Readonly<Record<string, Uint8Array>>;
  /** Read-only mounts, in preopen order after /app. */
  readonly mounts?: readonly ReadonlyMount[];
  /** How many bytes /app and /tmp together may grow by in this run before writes fail with ENOSPC. */
  readonly maxWorkspaceBytes?: number;
  /** How many files, directories and symlinks the guest may create before ENOSPC (host memory guard). */
  readonly maxCreatedInodes?: number;
  /**
   * How much host memory the entries the guest creates may hold besides file contents before
   * ENOSPC: ENTRY_HOST_BYTES plus 2 bytes per UTF-16 unit of the name (and a symlink's
   * target) per entry, counted for every entry created in the run, like maxCreatedInodes.
   */
  readonly maxMetadataBytes?: number;
  /** Mount a writable, never-journaled `/tmp` for the run (default true). */
  readonly scratch?: boolean;
  /** Clock for timestamps, ns since the epoch (pass the guest's realtime clock). */
  readonly nowNs?: () => bigint;
  /**
   * Deterministic runs: /app's files show `nowNs()` (the frozen clock) like every other
   * entry, not the times storage recorded when an earlier run committed them — those differ
   * between two otherwise identical sessions. Default false.
   */
  readonly frozenTimes?: boolean;
  /** node:fs subset used for host-dir mounts (tests inject an auditing one). */
  readonly hostFs?: HostFs;
  /** How many bytes of host-directory files the run may load before reads fail with EFBIG (host memory guard). */
  readonly maxHostReadBytes?: number;
}

/** Where a path-based operation starts and how it treats a final symlink. */
export interface PathOptions {
  /** Directory relative paths start from (default: the virtual root). */
  readonly from?: DirInode;
  /** Follow a final symlink (default true; false = lstat / O_NOFOLLOW). */
  readonly follow?: boolean;
}

/** How to open a path (the union of WASI oflags/fdflags and POSIX O_* flags). */
export interface OpenOptions extends PathOptions {
  readonly read?: boolean;
  readonly write?: boolean;
  /** O_CREAT */
  readonly create?: boolean;
  /** O_EXCL (with create): fail with EEXIST if it exists. */
  readonly exclusive?: boolean;
  /** O_TRUNC */
  readonly truncate?: boolean;
  /** O_DIRECTORY: fail with ENOTDIR unless it is a directory. */
  readonly directory?: boolean;
  /** O_APPEND */
  readonly append?: boolean;
}

/** What `stat` reports. */
export interface FileStat {
  readonly ino: bigint;
  readonly kind: Inode["kind"];
  readonly size: number;
  readonly nlink: number;
  readonly atimeNs: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** One directory entry as `readdir` lists it. */
export interface DirEntry {
  readonly name: string;
  readonly inode: Inode;
}

/** Creates the filesystem of one run. */
export function createVirtualFs(options: VirtualFsOptions = {}): VirtualFs {
  return new VirtualFs(options);
}

/** The virtual filesystem of one run (see module doc). */
export class VirtualFs implements FileWriter {
  /** The synthetic root `/`. */
  readonly root: DirInode;
  /** `/app`. */
  readonly workspace: DirInode;
  private readonly mountList: MountPoint[];
  private baseline: WorkspaceBaseline;
  private readonly factory: InodeFactory;
  private readonly loadOriginal: SyncFileLoader;
  private readonly maxWorkspaceBytes: number;
  private readonly now: () => bigint;
  private readonly maxCreatedInodes: number;
  private readonly maxMetadataBytes: number;
  private growth = 0;
  private createdInodes = 0;
  private metadataBytes = 0;
  private inoCounter = 0n;
  /** Changes made to /app so far (creations, removals, renames, writes, truncations). */
  private workspaceEdits = 0;
  /**
   * Set by `rebaseWorkspace` (warm sessions): `workspaceEdits` when the baseline was taken
   * by walking /app, and the paths that walk left out; null before the first rebase.
   */
  private rebased: { readonly edits: number; readonly unstorable: readonly string[] } | null = null;

  constructor(options: VirtualFsOptions = {}) {
    this.now = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.maxWorkspaceBytes = options.maxWorkspaceBytes ?? DEFAULT_MAX_WORKSPACE_BYTES;
    this.maxCreatedInodes = options.maxCreatedInodes ?? DEFAULT_MAX_CREATED_INODES;
    this.maxMetadataBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
    const factory: InodeFactory = { nextIno: () => ++this.inoCounter, nowNs: () => this.now() };
    this.factory = factory;
    this.root = createRoot(factory);
    const ws = options.workspace ?? { entries: [], load: () => fail("noent") };
    this.loadOriginal = ws.load;
    const { dir, baseline } = mountWorkspace(this.root, factory, ws.entries, ws.load, options.seedFiles ?? {}, options.frozenTimes ?? false);
    this.workspace = dir;
    this.baseline = baseline;
    this.mountList = [{ guestPath: "/app", dir, readonly: false }];
    const hostReads = { remaining: options.maxHostReadBytes ?? DEFAULT_MAX_HOST_READ_BYTES };
    for (const spec of options.mounts ?? []) this.mountList.push(mountReadonly(this.root, factory, spec, options.hostFs ?? nodeHostFs, hostReads));
    if (options.scratch ?? true) this.mountList.push(mountScratch(this.root, factory));
  }

  /** Mount points in preopen order: /app first, then the read-only mounts as given, then /tmp. */
  mounts(): readonly MountPoint[] {
    return this.mountList;
  }

  /** Raw lookup (see `resolvePath`). */
  lookup(path: string, options: PathOptions = {}): Resolved {
    return resolvePath(this.root, options.from ?? this.root, path, { followFinal: options.follow ?? true });
  }

  /** The inode a path names. @throws VfsError noent, notdir, loop, … */
  resolve(path: string, options: PathOptions = {}): Inode {
    const r = this.lookup(path, options);
    return r.inode ?? fail("noent");
  }

  /** stat / lstat (with `follow: false`). */
  stat(path: string, options: PathOptions = {}): FileStat {
    return this.statInode(this.resolve(path, options));
  }

  /** Stats an inode already in hand (fstat). */
  statInode(inode: Inode): FileStat {
    const size = inode.kind === "file" ? inode.size : inode.kind === "symlink" ? new TextEncoder().encode(inode.target).length : 0;
    const { atimeNs, mtimeNs, ctimeNs } = inode.times;
    const nlink = inode.kind === "file" && !inode.linked ? 0 : 1;
    return { ino: inode.ino, kind: inode.kind, size, nlink, atimeNs, mtimeNs, ctimeNs };
  }

  /**
   * Opens a file or directory. Directories come back as their inode, files as an
   * OpenFile. Read-only mounts refuse write/create/truncate with EROFS.
   */
  open(path: string, options: OpenOptions = {}): OpenFile | DirInode {
    const wantsWrite = options.write === true || options.truncate === true;
    // O_CREAT|O_DIRECTORY cannot create a directory; refuse it before creating a file (Linux: EINVAL).
    if (options.create === true && options.directory === true) fail("inval");
    // O_CREAT|O_EXCL never follows a final symlink: an existing link is EEXIST (POSIX).
    const exclusive = options.create === true && options.exclusive === true;
    let r = this.lookup(path, { from: options.from, follow: exclusive ? false : (options.follow ?? true) });
    let inode = r.inode;
    if (inode === null) {
      if (options.create !== true) fail("noent");
      if (r.trailingSlash) fail("isdir");
      const parent = r.parent ?? fail("noent");
      this.checkWritable(parent);
      checkStorableName(parent, r.name);
      this.countCreate(r.name);
      const file = new FileInode(++this.inoCounter, parent.mount, this.now(), new Uint8Array(0));
      parent.link(r.name, file);
      this.touchDir(parent);
      r = { ...r, inode: file };
      inode = file;
    } else if (exclusive) fail("exist");
    if (inode.kind === "symlink") fail("loop", "O_NOFOLLOW on a symlink");
    if (inode.kind === "directory") {
      if (wantsWrite || options.create === true) fail("isdir");
      return inode;
    }
    if (options.directory === true) fail("notdir");
    if (inode instanceof DeviceInode) return this.claimDevice(inode, r.parent, r.name);
    if (wantsWrite && inode.readonly) fail(inode.mount.kind === "root" ? "acces" : "rofs");
    if (options.truncate === true && inode.size !== 0) this.truncate(inode, 0);
    const mode = { readable: options.read ?? !wantsWrite, writable: options.write === true, append: options.append === true };
    inode.opens++;
    return new OpenFile(inode, mode, this);
  }

  /** mkdir. @throws VfsError exist, rofs, acces, noent */
  mkdir(path: string, options: PathOptions = {}): DirInode {
    const r = this.lookup(path, { from: options.from, follow: false });
    if (r.inode !== null) fail("exist");
    const parent = r.parent ?? fail("noent");
    this.checkWritable(parent);
    checkStorableName(parent, r.name);
    this.countCreate(r.name);
    const dir = new DirInode(++this.inoCounter, parent.mount, this.now(), parent);
    parent.link(r.name, dir);
    this.touchDir(parent);
    return dir;
  }

  /** rmdir. @throws VfsError notempty, notdir, busy (mount points, `/`), rofs */
  rmdir(path: string, options: PathOptions = {}): void {
    const { parent, name, inode } = this.existingEntry(path, options.from);
    if (inode.kind !== "directory") fail("notdir");
    if (this.isMountRoot(inode)) fail("busy", "a mount point cannot be removed");
    this.checkWritable(parent);
    if (inode.children.size > 0) fail("notempty");
    parent.children.delete(name);
    this.touchDir(parent);
  }

  /** unlink (files and symlinks). @throws VfsError isdir, noent, rofs */
  unlink(path: string, options: PathOptions = {}): void {
    const { parent, name, inode } = this.existingEntry(path, options.from);
    if (inode.kind === "directory") fail("isdir");
    this.checkWritable(parent);
    parent.children.delete(name);
    if (inode.kind === "file") this.dropLink(inode);
    this.touchDir(parent);
  }

  /**
   * rename, POSIX rules: replaces a file, or an empty directory with a directory.
   * Mount points (and `/app` itself) cannot move (EBUSY); renames across mounts fail
   * with EXDEV; read-only mounts with EROFS.
   */
  rename(oldPath: string, newPath: string, options: { from?: DirInode; toFrom?: DirInode } = {}): void {
    const src = this.existingEntry(oldPath, options.from);
    const dst = this.lookup(newPath, { from: options.toFrom ?? options.from, follow: false });
    const dstParent = dst.parent ?? fail("busy");
    if (this.isMountRoot(src.inode) || (dst.inode !== null && this.isMountRoot(dst.inode))) fail("busy", "mount points cannot be renamed");
    this.checkWritable(src.parent);
    this.checkWritable(dstParent);
    if (src.parent.mount !== dstParent.mount) fail("xdev");
    checkStorableName(dstParent, dst.name);
    if (dst.inode === src.inode) return;
    if (src.inode.kind === "directory") {
      for (let d: DirInode | null = dstParent; d !== null; d = d.parent) if (d === src.inode) fail("inval", "cannot move a directory into itself");
    }
    if (dst.inode !== null) {
      if (dst.inode.kind === "directory") {
        if (src.inode.kind !== "directory") fail("isdir");
        if (dst.inode.children.size > 0) fail("notempty");
      } else if (src.inode.kind === "directory") fail("notdir");
    }
    src.parent.children.delete(src.name);
    dstParent.link(dst.name, src.inode);
    if (dst.inode?.kind === "file") this.dropLink(dst.inode);
    this.touchDir(src.parent);
    this.touchDir(dstParent);
  }

  /**
   * symlink: `target` is stored as given and interpreted in the virtual tree when
   * followed, so a link to `/etc/passwd` or `../../..` can never reach a host path.
   * Links live only for the run (never journaled).
   */
  symlink(target: string, path: string, options: PathOptions = {}): void {
    validatePath(target);
    const r = this.lookup(path, { from: options.from, follow: false });
    if (r.inode !== null) fail("exist");
    const parent = r.parent ?? fail("noent");
    if (r.trailingSlash) fail("noent");
    this.checkWritable(parent);
    this.countCreate(r.name, target);
    parent.link(r.name, new SymlinkInode(++this.inoCounter, parent.mount, this.now(), target));
    this.touchDir(parent);
  }

  /** readlink. @throws VfsError inval when it is not a symlink */
  readlink(path: string, options: PathOptions = {}): string {
    const inode = this.resolve(path, { from: options.from, follow: false });
    if (inode.kind !== "symlink") fail("inval");
    return inode.target;
  }

  /** Hard links are not supported (ENOTSUP): the journal tracks files by path. */
  link(_oldPath: string, _newPath: string): never {
    return fail("notsup", "hard links are not supported");
  }

  /** Lists a directory (without `.` and `..`), in a stable order. */
  readdir(dir: DirInode): DirEntry[] {
    dir.times.atimeNs = this.now();
    return [...dir.children].map(([name, inode]) => ({ name, inode }));
  }

  /** Sets access/modification times (null = leave, "now" = current time). */
  setTimes(inode: Inode, atimeNs: bigint | "now" | null, mtimeNs: bigint | "now" | null): void {
    if (inode.readonly) fail(inode.mount.kind === "root" ? "acces" : "rofs");
    const now = this.now();
    if (atimeNs !== null) inode.times.atimeNs = atimeNs === "now" ? now : atimeNs;
    if (mtimeNs !== null) inode.times.mtimeNs = mtimeNs === "now" ? now : mtimeNs;
    inode.times.ctimeNs = now;
  }

  /**
   * Places a device at `path` (its directory must exist): the first `open` of it unlinks it
   * and hands the opener the only handle there will ever be (see device.ts).
   * @throws VfsError exist, noent
   */
  createDevice(path: string, handler: DeviceHandler): void {
    const r = this.lookup(path, { follow: false });
    if (r.inode !== null) fail("exist");
    const parent = r.parent ?? fail("noent");
    parent.link(r.name, new DeviceInode(++this.inoCounter, parent.mount, this.now(), handler));
    this.countEdit(parent);
  }

  /** Writes into a file inode, enforcing read-only mounts and the /app growth cap. */
  writeAt(inode: FileInode, src: Uint8Array, offset: number): number {
    if (inode instanceof DeviceInode) return inode.write(src, offset);
    if (inode.readonly) fail("rofs");
    if (!Number.isSafeInteger(offset) || offset < 0) fail("inval");
    this.charge(inode, offset + src.length - inode.size);
    inode.write(src, offset);
    this.touchFile(inode);
    return src.length;
  }

  /** Truncates or extends a file inode. */
  truncate(inode: FileInode, size: number): void {
    if (inode instanceof DeviceInode) return;
    if (inode.readonly) fail("rofs");
    if (!Number.isSafeInteger(size) || size < 0) fail("inval");
    this.charge(inode, size - inode.size);
    inode.truncate(size);
    this.touchFile(inode);
  }

  /** Records an access (atime) on reads. */
  touchRead(inode: FileInode): void {
    inode.times.atimeNs = this.now();
  }

  /** An OpenFile on `inode` was closed (see `OpenFile.close`). */
  release(inode: FileInode): void {
    inode.opens--;
    if (!inode.linked && inode.opens === 0) this.forget(inode);
  }

  /** The collapsed, ordered journal of /app changes relative to the initial state. */
  journal(): Journal {
    return buildJournal(this.workspace, this.baseline, this.loadOriginal);
  }

  /** The journal and the paths left out of it, from one comparison of /app with its initial state. */
  workspaceChanges(): { journal: Journal; unjournaled: readonly string[] } {
    // Nothing changed in /app since a walk made the baseline: no need to walk it again.
    if (this.rebased !== null && this.rebased.edits === this.workspaceEdits) return { journal: { entries: [] }, unjournaled: this.rebased.unstorable };
    const diff = diffWorkspace(this.workspace, this.baseline, this.loadOriginal);
    return { journal: { entries: diff.entries }, unjournaled: diff.skipped };
  }

  /**
   * Warm sessions: /app as it is now — its changes just committed — becomes the baseline
   * the next run's journal compares against, and `seedFiles` (the next program) are placed.
   * The growth and creation caps keep counting: a live session holds everything it made.
   * When /app did not change since the previous rebase, only the seed files are placed.
   */
  rebaseWorkspace(seedFiles: Readonly<Record<string, Uint8Array>>): void {
    if (this.rebased !== null && this.rebased.edits === this.workspaceEdits) {
      this.baseline = { entries: this.baseline.entries, seeds: placeSeeds(this.workspace, this.baseline, seedFiles, this.factory) };
      return;
    }
    const { baseline, unstorable } = rebaseWorkspace(this.workspace, this.baseline, seedFiles, this.factory);
    this.baseline = baseline;
    this.rebased = { edits: this.workspaceEdits, unstorable };
  }

  /**
   * What the guest made this filesystem hold against its caps so far (a warm session's
   * VirtualFs counts across executions: `rebaseWorkspace` does not reset them).
   */
  usage(): WorkspaceUsage {
    return {
      growthBytes: this.growth,
      maxWorkspaceBytes: this.maxWorkspaceBytes,
      createdInodes: this.createdInodes,
      maxCreatedInodes: this.maxCreatedInodes,
      metadataBytes: this.metadataBytes,
      maxMetadataBytes: this.maxMetadataBytes,
    };
  }

  /** Files created, modified and deleted in /app (relative paths, sorted). */
  changedPaths(): ChangedPaths {
    return diffWorkspace(this.workspace, this.baseline, this.loadOriginal).changed;
  }

  /**
   * /app paths left out of the journal because no storage adapter would accept them
   * (longer than core's MAX_PATH_LENGTH once nested by renames). Normally empty.
   */
  unjournaledPaths(): readonly string[] {
    return diffWorkspace(this.workspace, this.baseline, this.loadOriginal).skipped;
  }

  /** True for `/` and every mount's root directory. */
  isMountRoot(inode: Inode): boolean {
    return inode === this.root || this.mountList.some((m) => m.dir === inode);
  }

  private claimDevice(device: DeviceInode, parent: DirInode | null, name: string): OpenFile {
    if (parent?.children.get(name) === device) {
      parent.children.delete(name);
      this.countEdit(parent);
    }
    return new OpenFile(device, { readable: true, writable: true, append: false }, this);
  }

  private existingEntry(path: string, from: DirInode | undefined): { parent: DirInode; name: string; inode: Inode } {
    const r = this.lookup(path, { from, follow: false });
    if (r.inode === null) fail("noent");
    if (r.parent === null) fail(this.isMountRoot(r.inode) ? "busy" : "inval");
    return { parent: r.parent, name: r.name, inode: r.inode };
  }

  private checkWritable(dir: DirInode): void {
    if (dir.mount.kind === "root") fail("acces", "the virtual root holds only mount points");
    if (dir.mount.kind === "readonly") fail("rofs");
  }

  /**
   * A file lost its directory entry. Its bytes stop counting against maxWorkspaceBytes
   * only once no open description holds it either: a guest that unlinks a file while
   * keeping it open must not get the space back (it still holds the bytes).
   */
  private dropLink(inode: FileInode): void {
    inode.linked = false;
    if (inode.opens === 0) this.forget(inode);
  }

  private forget(inode: FileInode): void {
    if (counted(inode)) this.growth -= inode.size;
  }

  /** Counts a new entry (and its name and link target) against maxCreatedInodes and maxMetadataBytes. */
  private countCreate(name: string, target = ""): void {
    if (this.createdInodes >= this.maxCreatedInodes) fail("nospc", "the run created more than maxCreatedInodes files");
    const bytes = ENTRY_HOST_BYTES + 2 * (name.length + target.length);
    if (this.metadataBytes + bytes > this.maxMetadataBytes) fail("nospc", "the entries created in this run passed maxMetadataBytes");
    this.createdInodes++;
    this.metadataBytes += bytes;
  }

  private charge(inode: FileInode, delta: number): void {
    if (!counted(inode)) return;
    if (delta <= 0) {
      this.growth += delta;
      return;
    }
    if (this.growth + delta > this.maxWorkspaceBytes) fail("nospc", "the workspace grew past maxWorkspaceBytes in this run");
    this.growth += delta;
  }

  private touchDir(dir: DirInode): void {
    this.countEdit(dir);
    const now = this.now();
    dir.times.mtimeNs = now;
    dir.times.ctimeNs = now;
  }

  /** Counts a change in /app (see `workspaceEdits`). */
  private countEdit(inode: Inode): void {
    if (inode.mount.kind === "workspace") this.workspaceEdits++;
  }

  private touchFile(inode: FileInode): void {
    this.countEdit(inode);
    const now = this.now();
    inode.times.mtimeNs = now;
    inode.times.ctimeNs = now;
  }
}

/**
 * Names in /app must be storable (core's canonicalWorkspacePath refuses control
 * characters and backslashes), or one odd file name would make the whole commit fail:
 * such names are refused when created, with EINVAL.
 */
function checkStorableName(parent: DirInode, name: string): void {
  if (parent.mount.kind !== "workspace") return;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x5c) fail("inval", "control characters and backslashes are not allowed in /app names");
  }
}

/** Whether an inode's bytes count against maxWorkspaceBytes (the writable mounts). */
function counted(inode: Inode): boolean {
  return inode.mount.kind === "workspace" || inode.mount.kind === "scratch";
}

export type { ChangedPaths, MountPoint, SyncFileLoader };
