/**
 * Messages between a worker (which blocks while its guest waits) and the main thread
 * (which owns the session's storage and the host functions, and is asynchronous).
 *
 * Requests are synchronous for the guest: the worker posts one, then waits on a shared
 * flag until the main thread has posted the reply and bumped the flag. Two kinds exist:
 * reading a workspace file lazily, and calling a host function (code mode). What the
 * main thread must know of a run it may stop (fuel spent, memory, whether the instance
 * was pre-warmed, when the guest started) is recorded in the shared flags, not posted:
 * a message would wake the main thread for each.
 */

/** Worker → main: read one workspace file (canonical relative path). */
export interface ReadRequest {
  readonly kind: "read";
  readonly id: number;
  readonly path: string;
}

/** Worker → main: call a host function with JSON arguments. */
export interface CallRequest {
  readonly kind: "call";
  readonly id: number;
  readonly tool: string;
  /** The arguments, as JSON text (never a host object). */
  readonly args: string;
}

/** Everything the worker posts to the main thread. */
export type WorkerToHostMessage = ReadRequest | CallRequest;

/** Main → worker: the answer to a ReadRequest with the same id. */
export type ReadReply =
  | { readonly id: number; readonly ok: true; readonly data: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly errno: LazyReadErrno; readonly message: string };

/** The outcome of a host-function call, as the guest's bootstrap receives it. */
export type ToolCallReply =
  | { readonly ok: true; /** JSON text of the result. */ readonly value: string }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/** Main → worker: the answer to a CallRequest with the same id. */
export type CallReply = { readonly id: number } & ToolCallReply;

/** The answer to a call of `tool` on a run without host functions (the main thread's, or the worker's own when the run has no channel). */
export function noHostFunctionsReply(tool: string): ToolCallReply {
  return { ok: false, error: { name: "NoHostFunctions", message: `no host function "${tool}": this sandbox was created without tools` } };
}

/** How a failed lazy read surfaces to the guest. */
export type LazyReadErrno = "ENOENT" | "EIO";

/** Index in the shared Int32Array the worker waits on; the main thread bumps it per reply. */
export const REPLY_SEQ = 0;

/**
 * Index where the worker records the guest memory size (in 64 KiB pages) whenever it
 * knows it, so a run killed by the wall clock can still report it.
 */
export const MEMORY_PAGES = 1;

/**
 * Index, in a BigInt64Array over the same buffer, of the fuel the run has consumed so far,
 * recorded by the worker whenever it is in control (output, host requests, sleeps): a run stopped
 * by the wall clock or the caller reports at least this much.
 */
export const FUEL_SPENT = 1;

/**
 * Index (Int32Array) set to 1 by the worker when the run took a pre-warmed instance, so a
 * run stopped by the wall clock still says whether it had one.
 */
export const PREWARMED = 4;

/**
 * Index, in a BigInt64Array over the same buffer, of the moment the guest started
 * (`process.hrtime.bigint()`, the same monotonic clock in every thread of the process);
 * 0 until it starts. The wall clock runs from here.
 */
export const STARTED_AT = 3;

/**
 * Index (Int32Array) the main thread sets to 1 once it has taken a completed run's result.
 * The worker builds the thread's next pre-warmed instance only then (or after a bounded
 * wait): started as soon as the result was posted, that build (2 ms of CPU for JavaScript,
 * ~9 ms for Python) competed for a core with the main thread that was about to receive the
 * result, and on a busy machine the result waited for it.
 */
export const RESULT_TAKEN = 5;

/** Bytes of the SharedArrayBuffer backing the flags above. */
export const FLAG_BYTES = 32;

/** Worker: the guest starts now (its wall clock starts). */
export function markStarted(flags: SharedArrayBuffer): void {
  Atomics.store(new BigInt64Array(flags), STARTED_AT, process.hrtime.bigint());
}

/** Main thread: ms since the guest started, or null when it has not started yet. */
export function msSinceStart(flags: SharedArrayBuffer): number | null {
  const at = Atomics.load(new BigInt64Array(flags), STARTED_AT);
  return at === 0n ? null : Number(process.hrtime.bigint() - at) / 1e6;
}

/** Main thread: the run's result is taken (see `RESULT_TAKEN`). */
export function markResultTaken(flags: SharedArrayBuffer): void {
  const shared = new Int32Array(flags);
  Atomics.store(shared, RESULT_TAKEN, 1);
  Atomics.notify(shared, RESULT_TAKEN);
}

/** Worker: resolves once the main thread took the run's result, or after `timeoutMs` (never rejects, never blocks the thread). */
export function resultTaken(flags: SharedArrayBuffer, timeoutMs: number): Promise<unknown> {
  const wait = (Atomics as unknown as AtomicsWaitAsync).waitAsync(new Int32Array(flags), RESULT_TAKEN, 0, timeoutMs);
  return wait.async ? wait.value : Promise.resolve(wait.value);
}

/** `Atomics.waitAsync` (ES2024, in Node since 16; not in this project's TypeScript lib). */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { readonly async: false; readonly value: "not-equal" | "timed-out" } | { readonly async: true; readonly value: Promise<"ok" | "timed-out"> };
}
