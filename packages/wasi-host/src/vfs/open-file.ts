/**
 * An open file description: a file inode plus a position and access mode, shared by
 * every fd that refers to it (WASI fds, emscripten fds).
 */
import { fail } from "./errors.js";
import type { FileInode } from "./inode.js";

/** Where `seek` counts from. */
export type Whence = "set" | "cur" | "end";

/** The writes an open file description performs through its filesystem (quota, times). */
export interface FileWriter {
  writeAt(inode: FileInode, src: Uint8Array, offset: number): number;
  truncate(inode: FileInode, size: number): void;
  touchRead(inode: FileInode): void;
  /** The description was closed: an unlinked inode with no other open description stops counting. */
  release(inode: FileInode): void;
}

/** Access mode and flags of an open file description. */
export interface OpenFileMode {
  readonly readable: boolean;
  readonly writable: boolean;
  /** Every write goes to the end of the file (O_APPEND). */
  append: boolean;
}

/** A regular file opened by the guest. Offsets are plain numbers (files stay < 2^53). */
export class OpenFile {
  readonly kind = "open-file" as const;
  readonly inode: FileInode;
  readonly mode: OpenFileMode;
  /** The current offset. */
  position = 0;
  private readonly writer: FileWriter;
  private closed = false;

  constructor(inode: FileInode, mode: OpenFileMode, writer: FileWriter) {
    this.inode = inode;
    this.mode = mode;
    this.writer = writer;
  }

  /**
   * Ends the description (the last fd referring to it was closed). Call it exactly when
   * nothing will use it again: until then an unlinked file's bytes keep counting against
   * the workspace cap, as on POSIX the inode lives while it is open. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.release(this.inode);
  }

  /** Reads at the current position and advances it. @throws VfsError badf */
  read(dst: Uint8Array): number {
    const n = this.pread(dst, this.position);
    this.position += n;
    return n;
  }

  /** Reads at `offset` without moving the position. @throws VfsError badf */
  pread(dst: Uint8Array, offset: number): number {
    if (!this.mode.readable) fail("badf", "not open for reading");
    this.writer.touchRead(this.inode);
    return this.inode.read(dst, offset);
  }

  /** Writes at the position (or the end, in append mode) and advances it. */
  write(src: Uint8Array): number {
    if (this.mode.append) this.position = this.inode.size;
    const n = this.pwrite(src, this.position);
    this.position += n;
    return n;
  }

  /** Writes at `offset` without moving the position. @throws VfsError badf, nospc, rofs */
  pwrite(src: Uint8Array, offset: number): number {
    if (!this.mode.writable) fail("badf", "not open for writing");
    return this.writer.writeAt(this.inode, src, offset);
  }

  /** Moves the position; returns the new one. @throws VfsError inval */
  seek(offset: number, whence: Whence): number {
    const base = whence === "set" ? 0 : whence === "cur" ? this.position : this.inode.size;
    const next = base + offset;
    if (!Number.isSafeInteger(next) || next < 0) fail("inval", "seek before start of file");
    this.position = next;
    return next;
  }

  /** Sets the file size. @throws VfsError badf, nospc */
  truncate(size: number): void {
    if (!this.mode.writable) fail("badf", "not open for writing");
    this.writer.truncate(this.inode, size);
  }
}
