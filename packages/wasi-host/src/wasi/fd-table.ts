/**
 * The fd table: numbers to Fd objects, lowest free number first (as POSIX), with a
 * cap on open fds so a guest leaking descriptors hits EMFILE, not host memory.
 */
import { fail } from "../vfs/errors.js";
import type { Fd } from "./fd.js";

/** Most fds a guest may hold open at once. */
export const MAX_OPEN_FDS = 1024;

/** Maps fd numbers to open descriptors. */
export class FdTable {
  private readonly fds = new Map<number, Fd>();

  /** The fd, or EBADF. */
  get(fd: number): Fd {
    return this.fds.get(fd) ?? fail("badf");
  }

  /** True when `fd` is open. */
  has(fd: number): boolean {
    return this.fds.has(fd);
  }

  /**
   * Fails with EMFILE when the table is full. Syscalls that create or truncate call it
   * before they change anything, so a refused open leaves no file behind.
   */
  checkRoom(): void {
    if (this.fds.size >= MAX_OPEN_FDS) fail("mfile");
  }

  /** Puts `entry` at the lowest free number; returns it. @throws mfile */
  add(entry: Fd): number {
    this.checkRoom();
    let fd = 0;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, entry);
    return fd;
  }

  /** Places `entry` at a given number (stdio, preopens). */
  set(fd: number, entry: Fd): void {
    this.fds.set(fd, entry);
  }

  /** Closes `fd`. @throws badf */
  close(fd: number): void {
    const entry = this.get(fd);
    this.fds.delete(fd);
    entry.close();
  }

  /** fd_renumber: moves `from` onto `to`, closing what `to` held. @throws badf */
  renumber(from: number, to: number): void {
    const entry = this.get(from);
    const replaced = this.get(to);
    if (from === to) return;
    this.fds.delete(from);
    this.fds.set(to, entry);
    replaced.close();
  }

  /** Open fd numbers, ascending. */
  numbers(): number[] {
    return [...this.fds.keys()].sort((a, b) => a - b);
  }
}
