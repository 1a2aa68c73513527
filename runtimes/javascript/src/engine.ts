/**
 * The JavaScript engine (main thread): loads QuickJS-NG's wasm once per process through
 * wasi-host's meter, and runs each execution in a pooled worker with the JavaScript
 * driver (`dist/driver.js`).
 */
import { createRequire } from "node:module";
import type { ExecutionRequest, RawRun, ReadonlyMount, RunInterpretation, RuntimeEngine, RuntimeLoadOptions } from "@llm-wasm-sandbox/core";
import { javascript as jsState } from "@llm-wasm-sandbox/state";
import { loadModule, resolveBuiltFile, run, runLimitsFromPolicy, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import type { JavaScriptDriverData } from "./driver/driver-data.js";
import { VENDOR_DIR } from "./driver/module-resolution.js";
import { interpretJavaScriptRun } from "./interpret.js";
import { VENDOR_FILES } from "./vendor/csv-source.js";

/** QuickJS-NG version inside the pinned `@jitl/quickjs-ng-wasmfile-release-sync` build. */
export const QUICKJS_VERSION = "QuickJS-NG (quickjs-emscripten 0.32.0)";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.js";

/** Options of the JavaScript engine. */
export interface JavaScriptEngineOptions {
  /**
   * QuickJS stack limit in bytes. Default: a quarter of the worker thread's stack, so
   * deep recursion is a catchable `RangeError` before V8's own stack runs out.
   */
  readonly maxStackBytes?: number;
}

let imagePromise: Promise<MeteredImage> | null = null;

/** Loads the QuickJS wasm once per process (wasi-host caches the instrumented module on disk). */
export function loadQuickJSImage(cacheDir?: string): Promise<MeteredImage> {
  imagePromise ??= (async () => {
    // A path (not bytes): wasi-host skips re-reading and re-hashing an unchanged file.
    const wasmPath = createRequire(import.meta.url).resolve("@jitl/quickjs-ng-wasmfile-release-sync/wasm");
    return loadModule(wasmPath, { name: "quickjs-ng.wasm", ...(cacheDir ? { cacheDir } : {}) });
  })();
  imagePromise.catch(() => {
    imagePromise = null; // a later load retries instead of keeping the failure
  });
  return imagePromise;
}

const vendorMount: ReadonlyMount = {
  guestPath: VENDOR_DIR,
  files: Object.fromEntries(Object.entries(VENDOR_FILES).map(([name, src]) => [name, new TextEncoder().encode(src)])),
};

/** Creates the engine: compiles (or loads from cache) the metered QuickJS module. */
export async function createJavaScriptEngine(load: RuntimeLoadOptions, options: JavaScriptEngineOptions = {}): Promise<RuntimeEngine> {
  const image = await loadQuickJSImage(load.cacheDir);
  const driver = resolveBuiltFile(import.meta.url, "driver.js");
  const encoder = new TextEncoder();

  return {
    languageVersion: QUICKJS_VERSION,

    execute(request: ExecutionRequest): Promise<RawRun> {
      const p = request.policy;
      const mounts: ReadonlyMount[] = [...request.mounts];
      if (!mounts.some((m) => m.guestPath === VENDOR_DIR)) mounts.push(vendorMount);
      const driverData: JavaScriptDriverData = {
        entry: USER_CODE_GUEST_PATH,
        autoPersistGlobals: request.autoPersistGlobals,
        statePath: jsState.STATE_GUEST_PATH,
        persistSource: jsState.STATE_PERSIST_JS,
        skippedMarker: jsState.SKIPPED_MARKER,
        ...(options.maxStackBytes !== undefined ? { maxStackBytes: options.maxStackBytes } : {}),
      };
      return run({
        image,
        driver,
        driverData,
        argv: ["qjs", USER_CODE_GUEST_PATH, ...(request.args ?? [])],
        env: { ...p.env },
        workspace: request.workspace,
        mounts,
        seedFiles: { "user_code.js": encoder.encode(request.code) },
        limits: runLimitsFromPolicy(p),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    interpret(raw: RawRun, request: ExecutionRequest): RunInterpretation {
      return interpretJavaScriptRun(raw, request.autoPersistGlobals);
    },

    async close(): Promise<void> {
      // The compiled module is shared process-wide and the worker pool belongs to
      // wasi-host; nothing here is per-engine.
    },
  };
}
