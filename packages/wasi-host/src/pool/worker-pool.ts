import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { SandboxExecutionError, type RawRun } from "@llm-wasm-sandbox/core";
import { PACKAGE_NAME, resolveBuiltFile } from "../resolve-built-file.js";
import type { MemoryImage } from "../snapshot/memory-image.js";
import type { RunOptions } from "../types.js";
import { FLAG_BYTES } from "../channel/protocol.js";
import { dispatchRun } from "./dispatch.js";
import { SharedOutputPool } from "./shared-output.js";
import type { WorkerOutcome, WorkerTask } from "./task.js";
import type { PreparerTask } from "../cache/preparer-task.js";

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

/** Native stack of each worker thread, MiB (Node's default is 4). */
export const WORKER_STACK_MB = 64;

/** Default pool size: the machine's parallelism, at most 4. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/**
 * Creates a pool of its own, for callers who want to size or dispose it separately from
 * the process-wide default pool.
 *
 * @throws SandboxExecutionError when wasi-host's built worker (`dist/worker.js`) is missing.
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
  const piscina = new Piscina<WorkerTask, WorkerOutcome>({
    filename: resolveBuiltFile(import.meta.url, "worker.js", PACKAGE_NAME),
    // The worker module's export piscina calls.
    name: "default",
    minThreads: Math.min(size, options.minThreads ?? 1),
    maxThreads: size,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    concurrentTasksPerWorker: 1,
    // Between tasks a thread's event loop keeps turning (piscina's default parks it in
    // Atomics.wait), so it can build its next pre-warmed instance right after a run.
    atomics: "async",
    execArgv: workerExecArgv(process.execArgv),
    // Deep C recursion in a guest (CPython's json/repr/pickle, Ruby, Lua) uses the native
    // stack of the thread as well as the guest's own: give it room, so the interpreter's
    // recursion guard fires before the engine's stack overflow. Reserved, not committed.
    resourceLimits: { stackSizeMb: WORKER_STACK_MB },
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= piscina.close();
    return closing;
  };
  const dispatch = async (runOptions: RunOptions, snapshot: boolean) => {
    if (closing !== null) throw new SandboxExecutionError("this worker pool is closed — create another with createWorkerPool() or use defaultPool()");
    const { limits } = runOptions;
    const buffers = { flags: new SharedArrayBuffer(FLAG_BYTES), stdout: outputs.take(limits.stdoutMaxBytes), stderr: outputs.take(limits.stderrMaxBytes) };
    const dispatched = await dispatchRun(piscina, runOptions, snapshot, buffers);
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
        ? (piscina.run(task as never, { name: "prepare", ...(prepareOptions.signal ? { signal: prepareOptions.signal } : {}) }) as Promise<O>)
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

/** Flags that take a separate value argument and that a worker thread accepts. */
const WORKER_FLAGS_WITH_VALUE = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader", "--disable-warning"]);
/** Value-less flags a worker thread accepts and that matter to it. */
const WORKER_FLAGS = /^--(experimental-[a-z-]+|no-warnings|no-deprecation|trace-warnings|trace-deprecation|enable-source-maps|import=.*|require=.*|loader=.*|experimental-loader=.*|disable-warning=.*)$/;

/**
 * The parent's node flags that a worker thread both accepts and needs (module loaders,
 * warnings, experimental features). Dropped: `--input-type` (a worker's entry is a file, and
 * Node refuses to start one with it: a host script run as `node --input-type=module -e` could
 * not run anything), export conditions — under vitest the
 * parent resolves workspace packages to their TypeScript source, which a worker (plain
 * Node) cannot load — and every per-process or V8 flag (`--max-old-space-size`,
 * `--expose-gc`, `--stack-size`, …), which Worker rejects with ERR_WORKER_INVALID_EXEC_ARGV.
 */
export function workerExecArgv(parent: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i] as string;
    if (WORKER_FLAGS_WITH_VALUE.has(arg) && i + 1 < parent.length) {
      out.push(arg, parent[i + 1] as string);
      i++;
    } else if (WORKER_FLAGS.test(arg)) {
      out.push(arg);
    } else if (arg === "--conditions" || arg === "-C") {
      i++;
    }
  }
  return out;
}
