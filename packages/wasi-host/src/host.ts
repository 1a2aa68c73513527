/**
 * `@llm-wasm-sandbox/wasi-host/host`: what a host process's main thread needs to run
 * prepared specs — the runner, live sessions, start hints and cache maintenance — and
 * nothing only pool threads use (the virtual filesystem, the WASI and emscripten layers).
 *
 * The package's main entry re-exports all of those, so a module that imports it loads
 * ~170 KB of JavaScript more. llm-wasm-sandbox imports this entry instead: every module in
 * its static graph delays the moment a new process can create its host and start the
 * pool's thread (issue 18: a new process's first execute). The classes are the same ones
 * the main entry exports (shared chunks), so mixing the two entries is fine.
 */
export { LiveSessions, type LiveSessionsOptions, type LiveSlot, type LiveRunInfo, type LiveRunContext } from "./session-worker/live-sessions.js";
export { createRunner, type Runner, type RunnerOptions, type RunnerInput, type Executed } from "./runner/runner.js";
export type { SnapshotOrigin } from "./runner/snapshot-store.js";
export { saveStartHint } from "./start-hint/start-hint.js";
export { resolveCacheDir } from "./cache/cache-dir.js";
export {
  pruneCache,
  pruneCacheIfDue,
  DEFAULT_CACHE_MAX_AGE_MS,
  type PruneCacheOptions,
  type PruneCacheResult,
  type PrunedEntry,
} from "./cache/prune-cache.js";
