/**
 * WASI preview1 errno numbers, and the mapping from the filesystem's errno names.
 */
import type { ErrnoName } from "../vfs/errors.js";

/** The preview1 errno values the host returns (subset of `wasi_snapshot_preview1` `errno`). */
export const Errno = {
  success: 0,
  "2big": 1,
  acces: 2,
  badf: 8,
  busy: 10,
  exist: 20,
  fault: 21,
  fbig: 22,
  ilseq: 25,
  inval: 28,
  io: 29,
  isdir: 31,
  loop: 32,
  mfile: 33,
  mlink: 34,
  nametoolong: 37,
  noent: 44,
  nomem: 48,
  nospc: 51,
  nosys: 52,
  notdir: 54,
  notempty: 55,
  notsup: 58,
  perm: 63,
  rofs: 69,
  spipe: 70,
  xdev: 75,
  notcapable: 76,
} as const satisfies Record<ErrnoName | "success", number>;

/** A preview1 errno number. */
export type ErrnoCode = (typeof Errno)[keyof typeof Errno];

/** The WASI number of an errno name. */
export function errnoCode(name: ErrnoName): ErrnoCode {
  return Errno[name];
}
