/**
 * Messages of the lazy-read channel between a worker (which blocks while the guest waits
 * for a file) and the main thread (which owns the session's storage and reads it async).
 * The same port carries one-way events from the worker (`started`).
 */

/** Worker → main: read one workspace file (canonical relative path). */
export interface ReadRequest {
  readonly kind: "read";
  readonly id: number;
  readonly path: string;
}

/** Worker → main: the guest is about to start; the wall clock starts now. */
export interface StartedEvent {
  readonly kind: "started";
}

/** Everything the worker posts to the main thread. */
export type WorkerToHostMessage = ReadRequest | StartedEvent;

/** Main → worker: the answer to a ReadRequest with the same id. */
export type ReadReply =
  | { readonly id: number; readonly ok: true; readonly data: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly errno: LazyReadErrno; readonly message: string };

/** How a failed lazy read surfaces to the guest. */
export type LazyReadErrno = "ENOENT" | "EIO";

/** Index in the shared Int32Array the worker waits on; the main thread bumps it per reply. */
export const REPLY_SEQ = 0;

/**
 * Index where the worker records the guest memory size (in 64 KiB pages) whenever it
 * knows it, so a run killed by the wall clock can still report it.
 */
export const MEMORY_PAGES = 1;

/** Bytes of the SharedArrayBuffer backing the flags above. */
export const FLAG_BYTES = 8;
