/**
 * `@llm-wasm-sandbox/wasi-host/host`: what a host process's main thread needs — the
 * runner, live sessions, the pool, module loading, start hints, cache maintenance, and
 * the constants runtime plugins put in their specs — and nothing only pool threads use
 * (the meter, the virtual filesystem, the WASI and emscripten layers).
 *
 * The package's main entry re-exports all of those, so a module that imports it loads
 * ~170 KB of JavaScript more. llm-wasm-sandbox and the runtime plugins import this entry
 * instead: every module a new process loads on its main thread delays the moment it can
 * create its host and start the pool's thread, and costs CPU the pool thread could use
 * (issue 18: a new process's first execute). The classes and functions are the same ones
 * the main entry exports (shared chunks), so mixing the two entries is fine.
 */

// Running prepared specs (what a SandboxHost owns).
export { LiveSessions, type LiveSessionsOptions, type LiveSlot, type LiveRunInfo, type LiveRunContext } from "./session-worker/live-sessions.js";
export { createRunner, type Runner, type RunnerOptions, type RunnerInput, type Executed } from "./runner/runner.js";
export type { SnapshotOrigin } from "./runner/snapshot-store.js";
export { run } from "./run.js";
export { runLimitsFromPolicy } from "./run-limits.js";
export {
  createWorkerPool,
  defaultPool,
  closeDefaultPool,
  defaultPoolSize,
  type WorkerPool,
  type WorkerPoolOptions,
} from "./pool/worker-pool.js";
export { resolveBuiltFile } from "./resolve-built-file.js";
export { saveStartHint } from "./start-hint/record-start-hint.js";

// Loading modules (the work happens in pool threads).
export { loadModule, cacheKey, type LoadModuleOptions } from "./load-module.js";
export { MeterError } from "./meter/meter-error.js";
export { METER_VERSION } from "./meter/meter-version.js";
export { GLOBAL_EXPORT_PREFIX } from "./meter/global-export-prefix.js";

// The on-disk cache.
export { resolveCacheDir } from "./cache/cache-dir.js";
export { markCacheEntryUsed } from "./cache/cache-usage.js";
export {
  pruneCache,
  pruneCacheIfDue,
  DEFAULT_CACHE_MAX_AGE_MS,
  type PruneCacheOptions,
  type PruneCacheResult,
  type PrunedEntry,
} from "./cache/prune-cache.js";

// What plugins put in their run specs, and the contracts.
export { CONTROL_DEVICE_PATH } from "./control/control-channel.js";
export type { ToolCallHandler, ToolCallRequest } from "./channel/channel-server.js";
export type { MeteredImage, MemoryImportSpec, RunLimits, RunOptions, RawRun } from "./types.js";
export type { MemoryImage, PageRun } from "./snapshot/memory-image.js";
