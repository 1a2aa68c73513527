/**
 * `@llm-wasm-sandbox/runtime-lua`: Lua 5.4 in WebAssembly for llm-wasm-sandbox —
 * wasmoon's glue.wasm driven through its C API, metered, memory-capped, over the
 * session's virtual filesystem, with an auto-persisted `_state` table.
 */
import { luaPlugin } from "./plugin.js";

export { luaPlugin, LUA_VERSION, LUA_MIN_MEMORY_BYTES, LUA_MODULES_GUEST_PATH, USER_CODE_GUEST_PATH } from "./plugin.js";
export { luaLanguageError, type LuaErrorReport } from "./interpret.js";
export default luaPlugin;
