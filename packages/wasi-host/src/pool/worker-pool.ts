import type { RawRun } from "@llm-wasm-sandbox/core";
import { SandboxExecutionError } from "@llm-wasm-sandbox/core/errors";
import type { MemoryImage } from "../snapshot/memory-image.js";
import type { RunOptions } from "../types.js";
import { FLAG_BYTES } from "../channel/protocol.js";
import { dispatchRun } from "./dispatch.js";
import { SharedOutputPool } from "./shared-output.js";
import { startPoolThreads } from "./pool-threads.js";
import type { PreparerTask } from "../cache/preparer-task.js";

export { defaultPoolSize, WORKER_STACK_MB, workerExecArgv } from "./pool-threads.js";

/** Options of `createWorkerPool`. */
export interface WorkerPoolOptions {
  /** Worker threads at most (one run per thread at a time). Default `min(availableParallelism(), 4)`. */
  readonly size?: number;
  /** Threads kept started while idle. Default 1 (idle threads never keep the process alive). */
  readonly minThreads?: number;
  /** How long an idle thread above `minThreads` lives, in ms. Default 30 000. */
  readonly idleTimeoutMs?: number;
}

/**
 * Worker threads that run guests, one run per thread at a time. Runs beyond the size
 * wait in a queue. A thread stopped by the wall clock is replaced; instances are never
 * reused across runs. Idle threads do not keep the process alive.
 */
export interface WorkerPool extends AsyncDisposable {
  /** Maximum concurrent runs. */
  readonly size: number;
  /**
   * Runs one guest execution on this pool.
   * @throws SandboxExecutionError (rejected promise) after `close()`.
   */
  run(options: RunOptions): Promise<RawRun>;
  /**
   * Runs a preparer in one of the pool's threads (see `cache/preparer-task.ts`): work
   * proportional to a module's size (parsing, checking, metering, compiling) that must
   * not run on the host's main thread. Aborting `signal` terminates the thread.
   * @throws SandboxExecutionError (rejected promise) after `close()`; the preparer's error otherwise.
   */
  prepare<O>(task: PreparerTask, options?: { readonly signal?: AbortSignal }): Promise<O>;
  /**
   * Runs a snapshot run (the driver sees `ctx.snapshot === null` and may call
   * `ctx.saveSnapshot`) and returns the run with the image its driver saved, if any.
   */
  snapshotRun(options: RunOptions): Promise<{ raw: RawRun; snapshot: MemoryImage | null }>;
  /** Stops the threads (waits for runs in flight). Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates a pool of its own, for callers who want to size or dispose it separately from
 * the process-wide default pool.
 *
 * @throws SandboxExecutionError when wasi-host's built worker (`dist/thread/worker.js`) is missing.
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const { size, threads } = startPoolThreads(options);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= threads.close();
    return closing;
  };
  const dispatch = async (runOptions: RunOptions, snapshot: boolean) => {
    if (closing !== null) throw new SandboxExecutionError("this worker pool is closed — create another with createWorkerPool() or use defaultPool()");
    const { limits } = runOptions;
    const buffers = { flags: new SharedArrayBuffer(FLAG_BYTES), stdout: outputs.take(limits.stdoutMaxBytes), stderr: outputs.take(limits.stderrMaxBytes) };
    const dispatched = await dispatchRun(threads, runOptions, snapshot, buffers);
    if (dispatched.completed) {
      // A pool thread's task keeps nothing of the run once it completed: the buffers serve later runs.
      outputs.give(buffers.stdout);
      outputs.give(buffers.stderr);
    }
    return dispatched;
  };
  return {
    size,
    run: async (runOptions) => (await dispatch(runOptions, false)).raw,
    snapshotRun: (runOptions) => dispatch({ ...runOptions, snapshot: null }, true),
    prepare: <O>(task: PreparerTask, prepareOptions: { readonly signal?: AbortSignal } = {}) =>
      closing === null
        ? threads.run<O>(task, { name: "prepare", ...(prepareOptions.signal ? { signal: prepareOptions.signal } : {}) })
        : Promise.reject(new SandboxExecutionError("this worker pool is closed — create another with createWorkerPool() or use defaultPool()")),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Output buffers of finished pooled runs, for the next ones (see SharedOutputPool). */
const outputs = new SharedOutputPool();

let shared: WorkerPool | null = null;

/** The process-wide pool `run` uses unless given another; created on first use. */
export function defaultPool(): WorkerPool {
  shared ??= createWorkerPool();
  return shared;
}

/** Closes the process-wide pool (a later `run` creates a fresh one). */
export async function closeDefaultPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
