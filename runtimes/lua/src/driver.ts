/**
 * The worker-side driver of the Lua runtime: instantiates glue.wasm through the run's
 * context with the emscripten layer's imports, creates a Lua state, runs the bootstrap
 * chunk (text mode) and returns its exit code. Nothing of wasmoon's JavaScript is used.
 * The guest code is in real files (guest/bootstrap.lua, guest/state.lua), inlined here at
 * build time.
 *
 * `os.exit` and host exceptions (fuel, timeouts) leave the Lua state unusable; the
 * instance is discarded with the worker's run, never reused — except in a warm session
 * (`ctx.live`), where a run that ended normally keeps the state open and the next
 * execution runs its file in it (`keepLua`).
 */
import { defineDriver, emscripten, ProcExit, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { LUA_OK, luaExports, type LuaExports, type LuaState } from "./lua-exports.js";
import { parseLuaDriverData, type LuaDriverData } from "./driver-data.js";
import bootstrapLua from "../guest/bootstrap.lua?raw";
import stateLua from "../guest/state.lua?raw";
import toolsLua from "../guest/tools.lua?raw";

const encoder = new TextEncoder();

type GuestMemory = emscripten.GuestMemory;

export default defineDriver({
  parse: parseLuaDriverData,
  run: runDriver,
  // Every run starts from glue.wasm with a Lua state whose libraries are open and whose
  // bootstrap chunk is loaded: that much can be ready (its fuel is charged to the run).
  prewarm: () => ({ key: "glue+state", restore: null, start: startLua }),
});

/**
 * What a pre-warm start leaves for the run: its instance with a Lua state whose bootstrap
 * chunk is loaded on its stack, and the emscripten env it was built with (the run points
 * it at its own world instead of building another).
 */
interface LuaStart {
  readonly L: LuaState;
  readonly em: emscripten.EmscriptenEnv;
  readonly instance: WebAssembly.Instance;
  readonly lua: LuaExports;
}

/** The pre-warm start (see `PrewarmPlan.start`): the same steps as a cold run's start, in the same order. */
function startLua(ctx: GuestContext): LuaStart {
  const em = emscripten.createEmscriptenEnv(ctx, { cwd: "/app" });
  const instance = ctx.instantiate(em.imports);
  em.attach(instance);
  const lua = luaExports(instance);
  lua.__wasm_call_ctors();
  const L = newBootstrapState(lua, em.memory);
  if (typeof L !== "number") throw new Error(`the Lua start failed (${L.problem})`);
  // The run rebinds the env with a fresh fd table: the start must leave only the standard streams.
  if (em.openFds().length !== 3) throw new Error("the Lua start left files open");
  return { L, em, instance, lua };
}

/** The run's env, instance and exports: the pre-warm start's, rebound to the run's world, or new ones. */
function takeOrStart(ctx: GuestContext, started: LuaStart | null): { em: emscripten.EmscriptenEnv; instance: WebAssembly.Instance; lua: LuaExports } {
  if (started === null) {
    const em = emscripten.createEmscriptenEnv(ctx, { cwd: "/app" });
    const instance = ctx.instantiate(em.imports);
    em.attach(instance);
    return { em, instance, lua: luaExports(instance) };
  }
  started.em.rebind(ctx);
  if (ctx.instantiate(started.em.imports) !== started.instance) throw new TypeError("Lua driver: the run was not handed its pre-warmed instance");
  return started;
}

function runDriver(ctx: GuestContext, data: LuaDriverData): number {
  // The bootstrap opens the control device first, before any user code can.
  ctx.control.mountDevice(ctx.fs, data.controlPath);
  const started = (ctx.started?.() ?? null) as LuaStart | null;
  const { em, lua } = takeOrStart(ctx, started);
  // Lua cannot create directories: the state file's directory is made here.
  if (data.statePath !== null) ensureParentDir(ctx, data.statePath);
  try {
    if (started === null) lua.__wasm_call_ctors();
    return runLua(lua, em.memory, ctx, data, started);
  } catch (error) {
    if (!ProcExit.isInstance(error)) throw error;
    // os.exit: flush what stdio still buffers; the state is abandoned.
    lua.fflush(0);
    return error.exitCode;
  }
}

/**
 * A new Lua state with its standard libraries open and the bootstrap chunk loaded on its
 * stack; what went wrong otherwise (the state, if any, holds the error message).
 */
function newBootstrapState(lua: LuaExports, mem: GuestMemory): LuaState | { readonly problem: "no-state" | "load"; readonly L: LuaState } {
  const L = lua.luaL_newstate();
  if (L === 0) return { problem: "no-state", L };
  lua.luaL_openlibs(L);
  const status = withStrings(lua, mem, [bootstrapLua, "=bootstrap", "t"], ([src, name, mode]) =>
    lua.luaL_loadbufferx(L, src!.ptr, src!.len, name!.ptr, mode!.ptr),
  );
  return status === LUA_OK ? L : { problem: "load", L };
}

function runLua(lua: LuaExports, mem: GuestMemory, ctx: GuestContext, data: LuaDriverData, started: LuaStart | null): number {
  const state = started?.L ?? newBootstrapState(lua, mem);
  if (typeof state !== "number") {
    if (state.problem === "load") return fail(lua, mem, ctx, state.L);
    ctx.writeStderr(encoder.encode("lua: cannot create state: not enough memory\n"));
    return 1;
  }
  const L = state;
  const seed = new Uint32Array(2);
  ctx.clock.fillRandom(new Uint8Array(seed.buffer));
  const tools = ctx.control.tools === "[]" ? [null, null] : [toolsLua, ctx.control.tools];
  const args: (string | null)[] = [data.userPath, data.statePath === null ? null : stateLua, data.statePath, String(seed[0]), String(seed[1]), data.controlPath, ...tools, ...data.args];
  for (const arg of args) {
    if (arg === null) lua.lua_pushnil(L);
    else withStrings(lua, mem, [arg], ([s]) => lua.lua_pushlstring(L, s!.ptr, s!.len));
  }
  // Results: the exit code (stack index 1) and the function that runs a next file (2).
  if (lua.lua_pcallk(L, args.length, 2, 0, 0, 0) !== LUA_OK) return fail(lua, mem, ctx, L);
  const code = Number(lua.lua_tointegerx(L, 1, 0));
  if (ctx.live !== undefined) {
    // A warm session: the state stays open, the runner stays on the stack.
    lua.lua_settop(L, 2);
    lua.fflush(0);
    keepLua(lua, mem, ctx, L);
    return code;
  }
  lua.lua_settop(L, 0);
  // Closing runs __gc/__close metamethods, so files the script left open are flushed.
  lua.lua_close(L);
  lua.fflush(0);
  return code;
}

/**
 * Warm sessions: the next execution runs its file through the bootstrap's runner (stack
 * index 2) in the same state, and keeps the state again unless it could not run.
 */
function keepLua(lua: LuaExports, mem: GuestMemory, ctx: GuestContext, L: LuaState): void {
  ctx.live?.keep((next) => {
    const data = parseLuaDriverData(next);
    if (data.statePath !== null) ensureParentDir(ctx, data.statePath);
    lua.lua_settop(L, 2);
    lua.lua_pushvalue(L, 2);
    for (const arg of [data.userPath, ...data.args]) withStrings(lua, mem, [arg], ([s]) => lua.lua_pushlstring(L, s!.ptr, s!.len));
    if (lua.lua_pcallk(L, 1 + data.args.length, 1, 0, 0, 0) !== LUA_OK) return fail(lua, mem, ctx, L);
    const code = Number(lua.lua_tointegerx(L, -1, 0));
    lua.lua_settop(L, 2);
    lua.fflush(0);
    keepLua(lua, mem, ctx, L);
    return code;
  });
}

/** Reports an error the bootstrap itself raised (e.g. out of memory) and returns 1. */
function fail(lua: LuaExports, mem: GuestMemory, ctx: GuestContext, L: LuaState): number {
  const p = lua.lua_tolstring(L, -1, 0);
  const message = p === 0 ? "(error object is not a string)" : mem.cstring(p);
  lua.fflush(0);
  ctx.writeStderr(encoder.encode(`lua: ${message}\n`));
  return 1;
}

interface GuestString {
  readonly ptr: number;
  readonly len: number;
}

/** Copies strings into guest memory (NUL-terminated) for the duration of `body`. */
function withStrings<T>(lua: LuaExports, mem: GuestMemory, texts: readonly string[], body: (s: GuestString[]) => T): T {
  const strings: GuestString[] = [];
  try {
    for (const text of texts) {
      const bytes = encoder.encode(text);
      const ptr = lua.malloc(bytes.length + 1);
      if (ptr === 0) throw new RangeError("out of memory: cannot copy a string into the Lua heap");
      strings.push({ ptr, len: bytes.length });
      mem.writeCString(ptr, bytes, bytes.length + 1);
    }
    return body(strings);
  } finally {
    for (const s of strings) lua.free(s.ptr);
  }
}

/** Creates the parent directory of an absolute guest path if it is missing. */
function ensureParentDir(ctx: GuestContext, path: string): void {
  const dir = path.slice(0, path.lastIndexOf("/"));
  if (ctx.fs.lookup(dir).inode === null) ctx.fs.mkdir(dir);
}
