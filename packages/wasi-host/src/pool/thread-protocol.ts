/**
 * Messages between the pool (`thread-pool.ts`) and one of its threads (`thread-entry.ts`),
 * over the thread's own port. One task at a time per thread; its answer carries its id.
 */

/**
 * Main → thread, first message: a shared word the thread adds 1 to when it reads a request
 * (or fails to read one), before anything else. A thread that died with fewer reads than
 * requests sent never saw its last one, which can then go to another thread unrun.
 */
export interface ThreadSetup {
  readonly taken: SharedArrayBuffer;
}

/** Main → thread: run the handler `name` on `task`. */
export interface ThreadRequest {
  readonly id: number;
  readonly name: string;
  readonly task: unknown;
}

/** Thread → main: the answer to request `id`. */
export type ThreadReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: unknown };
