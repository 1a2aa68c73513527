/**
 * Module preparation off the main thread. A preparer is a built module (loaded by file
 * URL, like a driver) whose default export turns an input into a structured-clonable
 * result — typically a compiled `WebAssembly.Module` and what is known about it. The
 * pool runs it in one of its threads (`WorkerPool.prepare`), so work proportional to a
 * module's size (reading and hashing it, checking its sections, metering, compiling)
 * never blocks the host's event loop, and a caller's AbortSignal (a run's timeout)
 * ends it by terminating the thread.
 */
import { importBuiltModule } from "../import-built-module.js";
import { moveResult } from "../pool/worker-move.js";

/** What `WorkerPool.prepare` posts to the thread. */
export interface PreparerTask {
  /** File URL of the preparer module (built JavaScript). */
  readonly preparer: string;
  /** Structured-clonable input handed to the preparer's default export. */
  readonly input: unknown;
}

/** A preparer's return value: the result and the buffers to move (not copy) back. */
export interface PreparerResult<O> {
  readonly value: O;
  readonly transfer?: readonly ArrayBuffer[];
}

/** The default export of a preparer module. */
export type Preparer<I, O> = (input: I) => PreparerResult<O> | Promise<PreparerResult<O>>;

const loaded = new Map<string, Preparer<unknown, unknown>>();

/** Worker side of `WorkerPool.prepare`: loads the preparer once per thread and runs it. */
export async function runPreparer(task: PreparerTask): Promise<unknown> {
  let preparer = loaded.get(task.preparer);
  if (preparer === undefined) {
    const mod = (await importBuiltModule(task.preparer)) as { default?: unknown };
    if (typeof mod.default !== "function") throw new TypeError(`preparer ${task.preparer} has no default export function`);
    preparer = mod.default as Preparer<unknown, unknown>;
    loaded.set(task.preparer, preparer);
  }
  const result = await preparer(task.input);
  return moveResult(result.value, result.transfer ?? []);
}
