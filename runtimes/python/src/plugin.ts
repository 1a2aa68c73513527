/**
 * The Python runtime plugin: CPython 3.14 from the `pyodide` npm package
 * (`pyodide.asm.wasm` and `python_stdlib.zip`), driven through its C API by this
 * package's driver with the sandbox's own imports, metered and memory-capped by wasi-host.
 *
 * Starting CPython and importing the common modules costs ~1 s of CPU, so it happens once:
 * the run spec names a snapshot (`RunSpec.snapshot`), which the host takes once and keeps
 * in memory and in its cache directory; every execution is a fresh instance restored from
 * that snapshot, which then runs /app/user_code.py.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname } from "node:path";
import type { PrepareContext, PrepareRequest, RunSpec, Refusal, RuntimePlugin } from "@llm-wasm-sandbox/core";
import { RuntimeType } from "@llm-wasm-sandbox/core/runtime-type";
import { loadModule, markCacheEntryUsed, resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host/host";
import { PYTHON_VERSION } from "./constants.js";
import { pythonImage } from "./image/pyodide-image.js";
import { interpretPythonRun } from "./interpret.js";
import { INIT_CONFIG, preparePythonRun, type PythonAssets, snapshotSpec } from "./prepare.js";
import { readSandboxLib, SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";
import { STDLIB_CACHE_NAME, STDLIB_GUEST_PATH, stdlibDir } from "./stdlib.js";
import { ZONEINFO_GUEST_PATH, zoneinfoDir } from "./tz/zoneinfo-dir.js";
import { pythonPackages } from "./vendor/python-packages.js";
import { defaultVendorDir } from "./vendor/vendor.js";

const require = createRequire(import.meta.url);
const pkg = require("../package.json") as { name: string; version: string };

/**
 * Bytes of shadow stack CPython may use. Its C recursion guard is derived from this
 * window, which is small enough that the guard raises RecursionError (deep `json.loads`,
 * `repr` of nested lists, `pickle`, `lru_cache` chains) before the worker thread's native
 * stack (64 MiB, which every wasm frame also uses) runs out.
 */
export const STACK_BYTES = 256 * 1024;

/** Options of `createPythonPlugin`. */
export interface PythonPluginOptions {
  /**
   * Host directory of vendored pure-Python packages, mounted read-only at
   * /data/site-packages when it exists (unless the request already mounts that path).
   * Default: `defaultVendorDir()`.
   */
  readonly vendorDir?: string;
}

/** Creates a Python plugin with options (e.g. another vendor directory). The interpreter loads on the first run. */
export function createPythonPlugin(options: PythonPluginOptions = {}): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v2",
    type: RuntimeType.PYTHON,
    displayName: "Python (CPython 3.14)",
    languageVersion: `CPython ${PYTHON_VERSION}`,
    fileExtension: ".py",
    packageName: pkg.name,
    version: pkg.version,
    // Calibrated on tooling/fidelity's agent-program corpus (`pnpm bench` there): ≥ 95 % of
    // it fits, while `while True: pass` still spends it well inside the default 30 s.
    defaults: { fuelBudget: 20_000_000_000 },
    warmSessions: true,
    prepare: (request, context) => preparePython(request, context, options),
    interpret: (raw, request) => interpretPythonRun(raw, request.autoPersistGlobals),
    packages: pythonPackages(options.vendorDir),
  } satisfies RuntimePlugin);
}

/** The Python runtime plugin with default options. */
export const pythonPlugin: RuntimePlugin = createPythonPlugin();

async function preparePython(request: PrepareRequest, context: PrepareContext, options: PythonPluginOptions): Promise<RunSpec | Refusal> {
  const shared = await context.once("python:assets", () => loadAssets(context.cacheDir));
  // Read lazily by every run: marked so a cache prune never removes them from under a
  // long-lived host (the mark is throttled to once an hour).
  await Promise.all(shared.baseMounts.flatMap((mount) => (mount.hostPath === undefined ? [] : [markCacheEntryUsed(dirname(mount.hostPath))])));
  const vendorDir = options.vendorDir ?? defaultVendorDir();
  return preparePythonRun(request, { ...shared, vendorDir: existsSync(vendorDir) ? vendorDir : null });
}

/**
 * Once per host: the filtered image (as a source the host loads, meters and compiles), the
 * standard library with bytecode, the sandbox's own files, the time zones (each cached on
 * disk, so a new process only checks they are there) and the snapshot spec. The image is
 * compiled here only when the standard library's bytecode must be built first.
 */
async function loadAssets(cacheDir: string): Promise<Omit<PythonAssets, "vendorDir">> {
  const driver = resolveBuiltFile(import.meta.url, "driver.js", pkg.name);
  const image = pythonImage(cacheDir);
  const compiler = async () => ({
    image: await loadModule(await image.load(), { name: image.name, cacheDir, exportMutableGlobals: true }),
    driver,
    init: INIT_CONFIG,
  });
  const [lib, stdlib, zones] = await Promise.all([readSandboxLib(), stdlibDir(cacheDir, compiler), zoneinfoDir(cacheDir)]);
  const baseMounts = [
    { guestPath: STDLIB_GUEST_PATH, hostPath: stdlib },
    { guestPath: SANDBOX_LIB_GUEST_PATH, files: lib },
    { guestPath: ZONEINFO_GUEST_PATH, hostPath: zones },
  ];
  return { image, driver, baseMounts, snapshot: snapshotSpec(baseMounts, [STDLIB_CACHE_NAME, basename(dirname(zones))], STACK_BYTES) };
}
