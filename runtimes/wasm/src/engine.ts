/**
 * The WebAssembly engine: takes WAT text or base64 bytes and runs it as a WASI preview1
 * command (or, for a WASI 0.2 component, through the component driver) through
 * wasi-host. Parsing, checking (imports, memory, tables, counts, nesting), metering and
 * compiling happen in a pool thread under the run's wall clock (user-image.ts), so the
 * host's main thread does O(1) work per run.
 */
import type { ExecutionRequest, RawRun, RunInterpretation, RuntimeEngine, RuntimeLoadOptions } from "@llm-wasm-sandbox/core";
import { resolveBuiltFile, run, runLimitsFromPolicy } from "@llm-wasm-sandbox/wasi-host";
import { interpretWasmRun } from "./interpret.js";
import { DEFAULT_MODULE_LIMITS, type WasmModuleLimits } from "./module-check.js";
import { DEFAULT_IMAGE_CACHE_BYTES, PreparedCache, prepareUserInput } from "./user-image.js";

/** argv[0] of every run. */
export const PROGRAM_NAME = "user.wasm";

/** Options of `createWasmEngine` beyond what the host passes. */
export interface WasmEngineOptions {
  /** Caps on module size, tables, counts, nesting and instances (defaults: DEFAULT_MODULE_LIMITS). */
  readonly moduleLimits?: Partial<WasmModuleLimits>;
  /** Budget of the in-memory cache of prepared modules, in estimated bytes (default 256 MiB). */
  readonly imageCacheBytes?: number;
}

/** Creates the engine. Nothing is compiled until the first execution. */
export function createWasmEngine(_load: RuntimeLoadOptions, options: WasmEngineOptions = {}): RuntimeEngine {
  const limits: WasmModuleLimits = { ...DEFAULT_MODULE_LIMITS, ...options.moduleLimits };
  const cache = new PreparedCache(options.imageCacheBytes ?? DEFAULT_IMAGE_CACHE_BYTES);
  return {
    languageVersion: "WebAssembly 2.0 (WASI preview1 commands, WASI 0.2 command components)",
    execute: (request) => executeWasm(request, limits, cache),
    interpret(raw: RawRun): RunInterpretation {
      return interpretWasmRun(raw);
    },
    async close(): Promise<void> {
      // Prepared modules are held by this engine's cache; the pool belongs to wasi-host.
    },
  };
}

async function executeWasm(request: ExecutionRequest, limits: WasmModuleLimits, cache: PreparedCache): Promise<RawRun> {
  const prepared = await prepareUserInput(request, limits, cache);
  if (!("run" in prepared)) return prepared;
  const runLimits = runLimitsFromPolicy(request.policy);
  // Preparation ran under the same wall clock: the run gets what is left of it.
  const remaining = { ...runLimits, timeoutMs: Math.max(1, runLimits.timeoutMs - prepared.elapsedMs) };
  const common = {
    argv: [PROGRAM_NAME, ...(request.args ?? [])],
    env: { ...request.policy.env },
    workspace: request.workspace,
    mounts: request.mounts,
    seedFiles: { [prepared.run.seed.name]: prepared.run.seed.bytes },
    limits: remaining,
    ...(request.signal ? { signal: request.signal } : {}),
  };
  if (prepared.run.kind === "component") {
    const { componentRunOptions } = await import("./component-run.js");
    return run({ ...common, ...componentRunOptions(prepared.run.component, limits) });
  }
  return run({ ...common, image: prepared.run.image, driver: resolveBuiltFile(import.meta.url, "command-driver.js") });
}
