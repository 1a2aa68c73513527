import type { RawRun } from "@llm-wasm-sandbox/core";
import { defaultPool, type WorkerPool } from "./pool/worker-pool.js";
import type { RunOptions } from "./types.js";

/**
 * Runs one guest execution in a pooled worker thread: a fresh instance of
 * `options.image` over a virtual filesystem (the workspace at /app, lazily read; the
 * read-only mounts; the seed files), with memory capped at `limits.memoryBytes`, fuel set
 * to `limits.fuelBudget`, output capped, and the wall clock enforced by terminating the
 * worker. Guest failures (traps, exit codes, limits) come back in the RawRun; the host
 * process survives all of them.
 *
 * Details worth knowing:
 * - The wall clock (`limits.timeoutMs`) runs from the moment the worker starts the driver;
 *   time waiting in the pool's queue is not counted (`durationMs` includes it).
 * - When the host stops a guest (trap, fuel, timeout, cancel) `exitCode` is -1 (a guest
 *   that exited on its own after a refused `memory.grow` keeps its code) and one
 *   line explaining the stop and the knob to turn is appended to stderr after the
 *   guest's (capped) output.
 * - A run stopped by the wall clock or the caller reports, as `fuelConsumed`, the fuel
 *   the worker last recorded (at each output write, host request and sleep: a lower
 *   bound, 0 for a guest that only computed — the running count dies with the worker),
 *   the memory size last recorded, the output printed so far, and an empty journal
 *   (nothing of it is committed).
 *
 * @param options What to run and under which limits.
 * @param pool The pool to run on; the process-wide `defaultPool()` when omitted.
 * @returns Exit code, trap reason, capped outputs, fuel consumed, memory used, duration and
 *   the journal of /app changes (empty when the run was stopped by the wall clock or the caller).
 *
 * @example
 * ```ts
 * const image = await loadModule(bytes, { name: "hello.wasm" });
 * const result = await run({ image, argv: ["hello"], env: {}, workspace, mounts: [], limits });
 * console.log(result.stdout, result.fuelConsumed);
 * ```
 */
export function run(options: RunOptions, pool: WorkerPool = defaultPool()): Promise<RawRun> {
  return pool.run(options);
}
