/**
 * `@llm-wasm-sandbox/runtime-python`: CPython 3.12 in WebAssembly for llm-wasm-sandbox,
 * with `sandbox_utils`, vendored pure-Python packages and auto-persisted globals.
 */
import { createRequire } from "node:module";
import { RuntimeType, type RuntimePlugin } from "@llm-wasm-sandbox/core";
import type { PythonEngineOptions } from "./engine.js";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/**
 * Creates a Python plugin with options (e.g. another vendor directory). The engine and
 * python.wasm load only on `load()`.
 */
export function createPythonPlugin(options: PythonEngineOptions = {}): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v1",
    type: RuntimeType.PYTHON,
    displayName: "Python (CPython 3.12)",
    fileExtension: ".py",
    packageName: pkg.name,
    version: pkg.version,
    defaults: {},
    async load(loadOptions) {
      const { createPythonEngine } = await import("./engine.js");
      return createPythonEngine(loadOptions, options);
    },
  } satisfies RuntimePlugin);
}

/** The Python runtime plugin with default options. */
export const pythonPlugin: RuntimePlugin = createPythonPlugin();
export default pythonPlugin;

export type { PythonEngineOptions } from "./engine.js";
export { parsePythonException, pythonLanguageError, type PythonException } from "./traceback.js";
export { VendorError, type VendorProblem } from "./vendor/vendor-error.js";
export {
  vendorAdd,
  vendorList,
  vendorRemove,
  defaultVendorDir,
  DEFAULT_MAX_PACKAGES,
  SITE_PACKAGES_GUEST_PATH,
  type VendorOptions,
  type VendoredPackage,
  type VendorAddResult,
} from "./vendor/vendor.js";
export { DEFAULT_INDEX_URL, type IndexLimits } from "./vendor/package-index.js";
export { DEFAULT_MAX_INDEX_PAGE_BYTES, DEFAULT_MAX_WHEEL_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from "./vendor/download.js";
export { SANDBOX_LIB_GUEST_PATH } from "./sandbox-lib.js";
export { PYTHON_FLAGS, PYTHON_VERSION, USER_CODE_GUEST_PATH } from "./constants.js";
