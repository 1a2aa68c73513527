/**
 * `@llm-wasm-sandbox/runtime-python`: CPython 3.14 in WebAssembly for llm-wasm-sandbox
 * (the `pyodide` package's build, driven through its C API, never its JavaScript), with
 * `sandbox_utils`, vendored pure-Python packages and auto-persisted globals.
 */
import { pythonPlugin } from "./plugin.js";

export { createPythonPlugin, pythonPlugin, STACK_BYTES, type PythonPluginOptions } from "./plugin.js";
export { pythonLanguageError, type PythonException } from "./traceback.js";
export { interpretPythonRun } from "./interpret.js";
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
export { STDLIB_GUEST_PATH } from "./stdlib.js";
export { PYTHON_VERSION, STATE_FILE, USER_CODE_GUEST_PATH } from "./constants.js";
export default pythonPlugin;
