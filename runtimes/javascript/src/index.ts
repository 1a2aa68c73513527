/**
 * `@llm-wasm-sandbox/runtime-javascript`: JavaScript (QuickJS-NG) in WebAssembly for
 * llm-wasm-sandbox — console, timers, file helpers over the session workspace,
 * vendored utilities, ES modules and `_state` persistence, under fuel, memory, time
 * and output limits.
 */
import { createRequire } from "node:module";
import { RuntimeType, type RuntimePlugin } from "@llm-wasm-sandbox/core";
import type { JavaScriptEngineOptions } from "./engine.js";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** Creates a JavaScript plugin with options; the engine and the wasm load only on `load()`. */
export function createJavaScriptPlugin(options: JavaScriptEngineOptions = {}): RuntimePlugin {
  return Object.freeze({
    specificationVersion: "v1",
    type: RuntimeType.JAVASCRIPT,
    displayName: "JavaScript (QuickJS-NG)",
    fileExtension: ".js",
    extraExtensions: [".mjs"],
    packageName: pkg.name,
    version: pkg.version,
    defaults: {},
    async load(loadOptions) {
      const { createJavaScriptEngine } = await import("./engine.js");
      return createJavaScriptEngine(loadOptions, options);
    },
  } satisfies RuntimePlugin);
}

/** The JavaScript runtime plugin with default options. */
export const javascriptPlugin: RuntimePlugin = createJavaScriptPlugin();
export default javascriptPlugin;

export type { JavaScriptEngineOptions } from "./engine.js";
export { parseJavaScriptError, javascriptLanguageError, interpretJavaScriptRun } from "./interpret.js";
export { VENDOR_FILES } from "./vendor/csv-source.js";
