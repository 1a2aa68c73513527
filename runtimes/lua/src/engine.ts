/**
 * The Lua engine: Lua 5.4 from wasmoon's glue.wasm (its C API, not its JavaScript),
 * metered and run through wasi-host with this package's driver.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  SandboxExecutionError,
  type ExecutionRequest,
  type RawRun,
  type RunInterpretation,
  type RuntimeEngine,
  type RuntimeLoadOptions,
} from "@llm-wasm-sandbox/core";
import { lua as luaState } from "@llm-wasm-sandbox/state";
import { loadModule, resolveBuiltFile, run, runLimitsFromPolicy, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import { LUA_BOOTSTRAP } from "./bootstrap.js";
import type { LuaDriverData } from "./driver-data.js";
import { luaLanguageError, parseLuaError } from "./interpret.js";

/** The Lua version glue.wasm was built from. */
export const LUA_VERSION = "5.4";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.lua";

/** Guest path read-only Lua modules may be mounted at (on `package.path`). */
export const LUA_MODULES_GUEST_PATH = "/data/lua";

/** glue.wasm declares 256 initial pages: memory caps below this cannot even start Lua. */
export const LUA_MIN_MEMORY_BYTES = 16 * 1024 * 1024;

let imagePromise: Promise<MeteredImage> | null = null;

/** Loads glue.wasm once per process (wasi-host caches the instrumented module on disk). */
export function loadLuaImage(cacheDir?: string): Promise<MeteredImage> {
  imagePromise ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve("wasmoon/dist/glue.wasm");
    const bytes = new Uint8Array(await readFile(wasmPath));
    return loadModule(bytes, { name: "lua-glue.wasm", ...(cacheDir ? { cacheDir } : {}) });
  })();
  imagePromise.catch(() => {
    imagePromise = null; // a later load retries instead of caching the failure
  });
  return imagePromise;
}

/** Creates the Lua engine. */
export async function createLuaEngine(load: RuntimeLoadOptions): Promise<RuntimeEngine> {
  const image = await loadLuaImage(load.cacheDir);
  const driver = resolveBuiltFile(import.meta.url, "driver.js");
  const encoder = new TextEncoder();

  return {
    languageVersion: `Lua ${LUA_VERSION}`,

    execute(request: ExecutionRequest): Promise<RawRun> {
      const p = request.policy;
      if (p.memoryBytes < LUA_MIN_MEMORY_BYTES) {
        return Promise.reject(
          new SandboxExecutionError(`the Lua runtime needs memoryBytes of at least ${LUA_MIN_MEMORY_BYTES} (16 MiB); got ${p.memoryBytes} — raise policy.memoryBytes`),
        );
      }
      const persist = request.autoPersistGlobals;
      const data: LuaDriverData = {
        bootstrap: LUA_BOOTSTRAP,
        userPath: USER_CODE_GUEST_PATH,
        stateLibrary: persist ? luaState.LUA_STATE_LIBRARY : null,
        statePath: persist ? `/app/${luaState.LUA_STATE_PATH}` : null,
        args: [...(request.args ?? [])],
      };
      return run({
        image,
        driver,
        driverData: data,
        argv: ["lua", USER_CODE_GUEST_PATH, ...data.args],
        env: { ...p.env },
        workspace: request.workspace,
        mounts: request.mounts,
        seedFiles: { "user_code.lua": encoder.encode(request.code) },
        limits: runLimitsFromPolicy(p),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    interpret(raw: RawRun, request: ExecutionRequest): RunInterpretation {
      return interpretLuaRun(raw, request.autoPersistGlobals);
    },

    async close(): Promise<void> {
      // The compiled module is shared process-wide and the worker pool belongs to wasi-host.
    },
  };
}

/**
 * Success is exit code 0 without a trap. The bootstrap's `lua: …` report becomes the
 * language error; the state library's note lines move from stderr to `notes`.
 */
export function interpretLuaRun(raw: RawRun, autoPersistGlobals: boolean): RunInterpretation {
  const success = raw.exitCode === 0 && raw.trapReason === null;
  let stderr = raw.stderr;
  let notes: string[] = [];
  if (autoPersistGlobals) {
    ({ stderr, notes } = luaState.extractLuaStateNotes(raw.stderr));
    if (raw.trapReason !== null) notes.push("_state was not saved: the run was stopped before it finished.");
  }
  const report = success ? null : parseLuaError(stderr);
  return {
    success,
    languageError: report ? luaLanguageError(report) : null,
    ...(notes.length > 0 ? { notes } : {}),
    ...(stderr !== raw.stderr ? { stderr } : {}),
  };
}
