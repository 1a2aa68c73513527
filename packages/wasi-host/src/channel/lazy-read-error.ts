import type { LazyReadErrno } from "./protocol.js";

/**
 * Thrown inside the worker by the synchronous lazy loader when the main thread could not
 * supply a file. The virtual filesystem turns it into the errno the guest sees (ENOENT
 * or EIO), so a storage failure fails one `open`, never the host.
 */
export class LazyReadError extends Error {
  readonly errno: LazyReadErrno;

  constructor(errno: LazyReadErrno, message: string) {
    super(message);
    this.name = "LazyReadError";
    this.errno = errno;
  }
}
