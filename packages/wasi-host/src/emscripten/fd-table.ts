/**
 * The file descriptors of an emscripten guest. Emscripten modules keep their own fd
 * numbers (their `fd_write` imports see the fds their `__syscall_openat` returned), so
 * this table is separate from the WASI layer's while sharing the same VirtualFs:
 * both see and journal the same files.
 */
import type { DirInode } from "../vfs/inode.js";
import type { OpenFile } from "../vfs/open-file.js";

/** fd 0: reads the run's stdin. */
export interface StdinEntry {
  readonly kind: "stdin";
  position: number;
}

/** fd 1 and 2: the capped output sinks. */
export interface OutputEntry {
  readonly kind: "stdout" | "stderr";
}

/** A regular file opened through the VirtualFs. */
export interface FileEntry {
  readonly kind: "file";
  readonly file: OpenFile;
  /** The O_* flags it was opened with (for F_GETFL). */
  flags: number;
}

/** A directory opened for listing (getdents64) or as a dirfd. */
export interface DirEntryFd {
  readonly kind: "dir";
  readonly dir: DirInode;
  flags: number;
  /** Index of the next entry getdents64 returns ("." and ".." included). */
  cursor: number;
}

/** What an fd refers to. Entries are shared by dup'ed fds, as POSIX shares descriptions. */
export type FdEntry = StdinEntry | OutputEntry | FileEntry | DirEntryFd;

/** Most fds one guest may hold open at once (EMFILE beyond). */
export const MAX_FDS = 1024;

/**
 * The fd → entry table, with POSIX's lowest-free-number allocation. A file's open
 * description is closed (`OpenFile.close`) when the last fd sharing its entry goes, so
 * an unlinked file stops counting against the workspace cap only then.
 */
export class FdTable {
  private readonly entries = new Map<number, FdEntry>();
  /** How many fds share each file entry (dup). */
  private readonly shares = new Map<FileEntry, number>();

  constructor() {
    this.entries.set(0, { kind: "stdin", position: 0 });
    this.entries.set(1, { kind: "stdout" });
    this.entries.set(2, { kind: "stderr" });
  }

  get(fd: number): FdEntry | undefined {
    return this.entries.get(fd);
  }

  /** The lowest free fd ≥ `min`, or -1 when there is none (EMFILE). */
  free(min = 0): number {
    for (let fd = Math.max(0, min); fd < MAX_FDS; fd++) if (!this.entries.has(fd)) return fd;
    return -1;
  }

  /** Adds an entry at the lowest free fd ≥ `min`; -1 when the table is full. */
  add(entry: FdEntry, min = 0): number {
    const fd = this.free(min);
    if (fd >= 0) this.set(fd, entry);
    return fd;
  }

  /** Places `entry` at exactly `fd` (dup2/dup3; `fd` < MAX_FDS), replacing what was there. */
  set(fd: number, entry: FdEntry): void {
    if (entry.kind === "file") this.shares.set(entry, (this.shares.get(entry) ?? 0) + 1);
    const replaced = this.entries.get(fd);
    this.entries.set(fd, entry);
    if (replaced !== undefined) this.unshare(replaced);
  }

  /** The open fds, ascending. */
  list(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  /** Removes an fd; false when it was not open. */
  delete(fd: number): boolean {
    const entry = this.entries.get(fd);
    if (entry === undefined) return false;
    this.entries.delete(fd);
    this.unshare(entry);
    return true;
  }

  private unshare(entry: FdEntry): void {
    if (entry.kind !== "file") return;
    const left = (this.shares.get(entry) ?? 1) - 1;
    if (left > 0) this.shares.set(entry, left);
    else {
      this.shares.delete(entry);
      entry.file.close();
    }
  }
}
