import type { ErrnoName } from "../vfs/errors.js";

/**
 * Emscripten's errno numbers. Emscripten's musl uses the WASI preview1 numbering (not
 * Linux's): ENOENT is 44, ENOTTY 59. Syscall imports return them negated.
 */
export const EmErrno = {
  "2BIG": 1,
  ACCES: 2,
  AFNOSUPPORT: 5,
  BADF: 8,
  BUSY: 10,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  MLINK: 34,
  NAMETOOLONG: 37,
  NODEV: 43,
  NOENT: 44,
  NOMEM: 48,
  NOSPC: 51,
  NOSYS: 52,
  NOTCONN: 53,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSOCK: 57,
  NOTSUP: 58,
  NOTTY: 59,
  PERM: 63,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  ILSEQ: 25,
  OVERFLOW: 61,
} as const;

const BY_NAME: Record<ErrnoName, number> = {
  "2big": EmErrno["2BIG"],
  acces: EmErrno.ACCES,
  fault: EmErrno.FAULT,
  mfile: EmErrno.MFILE,
  nomem: EmErrno.NOMEM,
  badf: EmErrno.BADF,
  busy: EmErrno.BUSY,
  exist: EmErrno.EXIST,
  fbig: EmErrno.FBIG,
  inval: EmErrno.INVAL,
  io: EmErrno.IO,
  isdir: EmErrno.ISDIR,
  loop: EmErrno.LOOP,
  mlink: EmErrno.MLINK,
  nametoolong: EmErrno.NAMETOOLONG,
  noent: EmErrno.NOENT,
  nospc: EmErrno.NOSPC,
  nosys: EmErrno.NOSYS,
  notdir: EmErrno.NOTDIR,
  notempty: EmErrno.NOTEMPTY,
  notsup: EmErrno.NOTSUP,
  perm: EmErrno.PERM,
  rofs: EmErrno.ROFS,
  spipe: EmErrno.SPIPE,
  xdev: EmErrno.XDEV,
  ilseq: EmErrno.ILSEQ,
  // A capability failure is what a sandboxed path escape looks like: report "not permitted".
  notcapable: EmErrno.PERM,
};

/** The emscripten errno number of a VirtualFs errno name. */
export function emErrno(name: ErrnoName): number {
  return BY_NAME[name];
}
