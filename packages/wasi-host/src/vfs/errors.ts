/**
 * Errno names the virtual filesystem fails with. They are the WASI preview1 names
 * (without the `ERRNO_` prefix); `wasi/errno.ts` maps them to WASI numbers and an
 * emscripten layer can map them to Linux numbers, so one filesystem serves both ABIs.
 */
export type ErrnoName =
  | "2big"
  | "acces"
  | "badf"
  | "busy"
  | "exist"
  | "fault"
  | "fbig"
  | "inval"
  | "io"
  | "isdir"
  | "loop"
  | "mfile"
  | "mlink"
  | "nametoolong"
  | "noent"
  | "nomem"
  | "nospc"
  | "nosys"
  | "notdir"
  | "notempty"
  | "notsup"
  | "perm"
  | "rofs"
  | "spipe"
  | "xdev"
  | "ilseq"
  | "notcapable";

/**
 * Thrown by VirtualFs operations. It carries an errno name, never reaches callers of
 * the sandbox (the ABI layers turn it into an errno return value), and so is not a
 * SandboxError: it is the filesystem's equivalent of a negative syscall return.
 */
export class VfsError extends Error {
  readonly errno: ErrnoName;

  constructor(errno: ErrnoName, detail?: string) {
    super(detail === undefined ? errno : `${errno}: ${detail}`);
    this.errno = errno;
    this.name = "VfsError";
  }

  /** Narrowing helper for catch blocks. */
  static isInstance(e: unknown): e is VfsError {
    return e instanceof VfsError;
  }
}

/** Throws a VfsError; a shorthand that keeps call sites to one line. */
export function fail(errno: ErrnoName, detail?: string): never {
  throw new VfsError(errno, detail);
}
