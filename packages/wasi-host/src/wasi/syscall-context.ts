/**
 * What every group of preview1 syscalls shares, and the guard that turns thrown
 * VfsErrors into errno return values.
 */
import { VfsError } from "../vfs/errors.js";
import type { VirtualFs } from "../vfs/virtual-fs.js";
import { ProcExit, type GuestClock } from "../types.js";
import type { RunClock } from "./clock.js";
import { Errno } from "./errno.js";
import type { FdTable } from "./fd-table.js";
import type { GuestMemory } from "./memory-view.js";

/** A `wasi_snapshot_preview1` import function: wasm i32 → number, i64 → bigint. */
export type WasiFunction = (...args: never[]) => unknown;

/** State shared by the syscall groups of one run. */
export interface SyscallContext {
  readonly mem: GuestMemory;
  readonly fs: VirtualFs;
  readonly fds: FdTable;
  readonly clock: GuestClock | RunClock;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Unexpected host exceptions turned into EIO/ENOMEM, kept for diagnosis. */
  readonly hostErrors: unknown[];
}

/**
 * Wraps a syscall body: VfsError → its errno, ProcExit passes through, any other host
 * exception → ENOMEM (RangeError: an allocation failed) or EIO, recorded in
 * `hostErrors`, so the guest always gets an errno and never a JS exception.
 */
export function guard<A extends unknown[]>(ctx: SyscallContext, body: (...args: A) => number | void): (...args: A) => number {
  return (...args: A): number => {
    try {
      return body(...args) ?? Errno.success;
    } catch (error) {
      if (error instanceof VfsError) return Errno[error.errno];
      if (error instanceof ProcExit) throw error;
      ctx.hostErrors.push(error);
      return error instanceof RangeError ? Errno.nomem : Errno.io;
    }
  };
}

/** A wasm i32 argument as an unsigned number (pointers above 2 GiB arrive negative). */
export function u32(v: number): number {
  return v >>> 0;
}
