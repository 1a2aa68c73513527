/**
 * `@llm-wasm-sandbox/runtime-javascript`: JavaScript (QuickJS-NG) in WebAssembly for
 * llm-wasm-sandbox — console, timers, file helpers over the session workspace,
 * vendored utilities, ES modules and `_state` persistence, under fuel, memory, time
 * and output limits.
 */
import { javascriptPlugin } from "./plugin.js";

export { createJavaScriptPlugin, javascriptPlugin, QUICKJS_VERSION, USER_CODE_GUEST_PATH, type JavaScriptPluginOptions } from "./plugin.js";
export { javascriptLanguageError, interpretJavaScriptRun } from "./interpret.js";
export { VENDOR_FILES } from "./vendor-files.js";
export default javascriptPlugin;
