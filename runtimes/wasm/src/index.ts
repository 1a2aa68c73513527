/**
 * `@llm-wasm-sandbox/runtime-wasm`: runs WebAssembly the user supplies — WAT text, a WASI
 * preview1 command module, or a WASI 0.2 command component (base64) — metered,
 * memory-capped and import-checked, over the session's virtual filesystem.
 */
import { wasmPlugin } from "./plugin.js";

export { createWasmPlugin, wasmPlugin, PROGRAM_NAME } from "./plugin.js";
export { DEFAULT_MODULE_LIMITS, checkModule, type WasmModuleLimits, type ModuleCheck, type ImportDecl, type CheckContext } from "./module-check.js";
export { interpretWasmRun, wasmLanguageError } from "./interpret.js";
export { decodeSource, isComponent, watNestingDepth, type WasmSource, type SourceLimits } from "./source.js";
export { JCO_PACKAGE, WasmToolchainMissingError } from "./jco.js";
export { ComponentRejectedError } from "./component/prepare-component.js";
export default wasmPlugin;
