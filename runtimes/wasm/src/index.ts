/**
 * `@llm-wasm-sandbox/runtime-wasm`: runs WebAssembly the user supplies — WAT text, a WASI
 * preview1 command module, or a WASI 0.2 command component (base64) — metered,
 * memory-capped and import-checked, over the session's virtual filesystem.
 */
import { createRequire } from "node:module";
import { RuntimeType, type RuntimePlugin } from "@llm-wasm-sandbox/core";
import type { WasmModuleLimits } from "./module-check.js";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** Creates a WebAssembly runtime plugin with its own module caps. */
export function createWasmPlugin(moduleLimits: Partial<WasmModuleLimits> = {}): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v1",
    type: RuntimeType.WASM,
    displayName: "WebAssembly (WAT, WASI preview1, WASI 0.2 components)",
    fileExtension: ".wat",
    extraExtensions: [".wasm"],
    packageName: pkg.name,
    version: pkg.version,
    defaults: {},
    async load(loadOptions) {
      const { createWasmEngine } = await import("./engine.js");
      return createWasmEngine(loadOptions, { moduleLimits });
    },
  } satisfies RuntimePlugin);
}

/** The WebAssembly runtime plugin with the default caps. The engine loads only on `load()`. */
export const wasmPlugin: RuntimePlugin = createWasmPlugin();

export default wasmPlugin;

export { DEFAULT_MODULE_LIMITS, checkModule, type WasmModuleLimits, type ModuleCheck, type ImportDecl, type CheckContext } from "./module-check.js";
export { interpretWasmRun, wasmLanguageError } from "./interpret.js";
export { decodeSource, isComponent, watNestingDepth, type WasmSource, type SourceLimits } from "./source.js";
export { JCO_PACKAGE, WasmToolchainMissingError } from "./jco.js";
export { ComponentRejectedError } from "./component/prepare-component.js";
