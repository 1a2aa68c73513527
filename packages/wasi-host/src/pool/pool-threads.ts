/**
 * The pool's worker threads (`thread-pool.ts`), and starting them ahead of the pool.
 *
 * A new thread takes ~40 ms to boot and ~30–50 ms more to import its worker entry, and a
 * one-shot process (the CLI) used to start it only after loading all of its own modules
 * (core, zod, commander, the runtime plugin: ~150 ms), so the two ran one after the other.
 * `prestartPool()` starts the thread from the process's first lines instead: it boots
 * on another core while the main thread loads the rest, and the first `createWorkerPool`
 * with the same options adopts it. Given a start hint (what the previous process of the
 * same kind loaded, see `start-hint/start-hint.ts`), the thread also starts preparing that
 * image from the disk cache before anyone asks for it.
 *
 * This module and its imports stay free of core's main entry and of zod (the
 * `@llm-wasm-sandbox/wasi-host/prestart` entry costs the thread pool and this file, nothing more).
 */
import { availableParallelism } from "node:os";
import { PACKAGE_NAME, resolveBuiltFile, THREAD_DIR } from "../resolve-built-file.js";
import { type PrestartHint, speculationFor } from "../start-hint/start-hint.js";
import { createThreadPool, type ThreadPool } from "./thread-pool.js";
import type { WorkerPoolOptions } from "./worker-pool.js";

/** Native stack of each worker thread, MiB (Node's default is 4). */
export const WORKER_STACK_MB = 64;

/** Default pool size: the machine's parallelism, at most 4. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** A pool's threads and how many runs it takes at once. */
export interface PoolThreads {
  readonly size: number;
  readonly threads: ThreadPool;
}

/** Threads started by `prestartPool`, waiting for a `createWorkerPool` with these settings. */
let prestarted: { readonly settings: string; readonly threads: PoolThreads } | null = null;

/**
 * Starts a pool's threads now, for the next `createWorkerPool` (or a SandboxHost's pool)
 * whose options are these (default: the default pool's). For a process that will run a
 * guest soon and still has modules to load: the thread boots meanwhile. With `hint`, its
 * first thread also prepares what the hint names (see `start-hint/start-hint.ts`). Threads
 * nobody adopts stay idle, and idle threads never keep the process alive. Once per process.
 *
 * @throws SandboxExecutionError when wasi-host's built worker (`dist/thread/worker.js`) is missing.
 */
export function prestartPool(options: WorkerPoolOptions = {}, hint?: PrestartHint): void {
  if (prestarted !== null) return;
  prestarted = { settings: settingsOf(options), threads: newThreads(options, hint === undefined ? undefined : speculationFor(hint)) };
}

/**
 * The threads of a new pool: the pre-started ones when their settings match (each taken
 * once), else new ones.
 *
 * @throws SandboxExecutionError when wasi-host's built worker (`dist/thread/worker.js`) is missing.
 */
export function startPoolThreads(options: WorkerPoolOptions): PoolThreads {
  if (prestarted !== null && prestarted.settings === settingsOf(options)) {
    const { threads } = prestarted;
    prestarted = null;
    return threads;
  }
  return newThreads(options);
}

function newThreads(options: WorkerPoolOptions, workerData?: unknown): PoolThreads {
  const { size, minThreads, idleTimeout } = settings(options);
  const threads = createThreadPool({
    entry: resolveBuiltFile(import.meta.url, `${THREAD_DIR}/pool/thread-entry.js`, PACKAGE_NAME),
    // With a start hint, a handler module that starts the speculation before loading worker.js.
    handlers: resolveBuiltFile(import.meta.url, `${THREAD_DIR}/${workerData === undefined ? "worker.js" : "start-hint/worker-entry.js"}`, PACKAGE_NAME),
    size,
    minThreads,
    idleTimeoutMs: idleTimeout,
    execArgv: workerExecArgv(process.execArgv),
    // Deep C recursion in a guest (CPython's json/repr/pickle, Ruby, Lua) uses the native
    // stack of the thread as well as the guest's own: give it room, so the interpreter's
    // recursion guard fires before the engine's stack overflow. Reserved, not committed.
    resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    ...(workerData === undefined ? {} : { workerData }),
  });
  return { size, threads };
}

function settings(options: WorkerPoolOptions): { size: number; minThreads: number; idleTimeout: number } {
  const size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
  return { size, minThreads: Math.min(size, options.minThreads ?? 1), idleTimeout: options.idleTimeoutMs ?? 30_000 };
}

function settingsOf(options: WorkerPoolOptions): string {
  const { size, minThreads, idleTimeout } = settings(options);
  return `${size}/${minThreads}/${idleTimeout}`;
}

/** Flags that take a separate value argument and that a worker thread accepts. */
const WORKER_FLAGS_WITH_VALUE = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader", "--disable-warning", "--cpu-prof-dir", "--cpu-prof-interval"]);
/** Value-less flags a worker thread accepts and that matter to it. */
const WORKER_FLAGS = /^--(experimental-[a-z-]+|no-warnings|no-deprecation|trace-warnings|trace-deprecation|enable-source-maps|import=.*|require=.*|loader=.*|experimental-loader=.*|disable-warning=.*|cpu-prof|cpu-prof-dir=.*|cpu-prof-interval=.*)$/;

/**
 * The parent's node flags that a worker thread both accepts and needs (module loaders,
 * warnings, experimental features, and `--cpu-prof` with its directory and interval, so
 * profiling a host profiles its pool threads too: each thread writes its own file; a
 * `--cpu-prof-name` would make them overwrite each other, so it stays the parent's). Dropped: `--input-type` (a worker's entry is a file, and
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
