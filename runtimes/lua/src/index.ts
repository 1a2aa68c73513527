/**
 * `@llm-wasm-sandbox/runtime-lua`: Lua 5.4 in WebAssembly for llm-wasm-sandbox —
 * wasmoon's glue.wasm driven through its C API, metered, memory-capped, over the
 * session's virtual filesystem, with an auto-persisted `_state` table.
 */
import { createRequire } from "node:module";
import { RuntimeType, type RuntimePlugin } from "@llm-wasm-sandbox/core";

const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

/** The Lua runtime plugin. glue.wasm and the engine load only on `load()`. */
export const luaPlugin: RuntimePlugin = Object.freeze({
  specificationVersion: "v1",
  type: RuntimeType.LUA,
  displayName: "Lua 5.4",
  fileExtension: ".lua",
  packageName: pkg.name,
  version: pkg.version,
  defaults: {},
  async load(loadOptions) {
    const { createLuaEngine } = await import("./engine.js");
    return createLuaEngine(loadOptions);
  },
} satisfies RuntimePlugin);

export default luaPlugin;

export { luaLanguageError, parseLuaError, type LuaErrorReport } from "./interpret.js";
