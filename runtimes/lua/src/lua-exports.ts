/**
 * The part of Lua's C API (as exported by wasmoon's glue.wasm) the driver calls, typed.
 * Pointers are i32 numbers; `lua_Integer` is i64 and crosses as BigInt.
 */

/** Pointer to a lua_State. */
export type LuaState = number;

/** Lua's status codes. */
export const LUA_OK = 0;
export const LUA_ERRMEM = 4;

/** The exports of glue.wasm the Lua driver uses. */
export interface LuaExports {
  readonly __wasm_call_ctors: () => void;
  readonly malloc: (size: number) => number;
  readonly free: (ptr: number) => void;
  readonly fflush: (stream: number) => number;
  readonly luaL_newstate: () => LuaState;
  readonly luaL_openlibs: (L: LuaState) => void;
  readonly lua_close: (L: LuaState) => void;
  readonly luaL_loadbufferx: (L: LuaState, buf: number, size: number, name: number, mode: number) => number;
  readonly lua_pcallk: (L: LuaState, nargs: number, nresults: number, msgh: number, ctx: number, k: number) => number;
  readonly lua_pushlstring: (L: LuaState, s: number, len: number) => number;
  readonly lua_pushnil: (L: LuaState) => void;
  readonly lua_tolstring: (L: LuaState, idx: number, len: number) => number;
  readonly lua_tointegerx: (L: LuaState, idx: number, isnum: number) => bigint;
  readonly lua_settop: (L: LuaState, idx: number) => void;
  readonly lua_pushvalue: (L: LuaState, idx: number) => void;
}

const REQUIRED: readonly (keyof LuaExports)[] = [
  "__wasm_call_ctors",
  "malloc",
  "free",
  "fflush",
  "luaL_newstate",
  "luaL_openlibs",
  "lua_close",
  "luaL_loadbufferx",
  "lua_pcallk",
  "lua_pushlstring",
  "lua_pushnil",
  "lua_tolstring",
  "lua_tointegerx",
  "lua_settop",
  "lua_pushvalue",
];

/**
 * Narrows an instance's exports to LuaExports.
 * @throws TypeError naming the first missing export (a glue.wasm of another build).
 */
export function luaExports(instance: WebAssembly.Instance): LuaExports {
  const ex = instance.exports as Record<string, unknown>;
  for (const name of REQUIRED) {
    if (typeof ex[name] !== "function") throw new TypeError(`glue.wasm does not export ${name}: not the Lua build this runtime expects`);
  }
  return ex as unknown as LuaExports;
}
