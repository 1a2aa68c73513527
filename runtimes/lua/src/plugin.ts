/**
 * The Lua runtime plugin: Lua 5.4 from wasmoon's glue.wasm (its C API, not its
 * JavaScript), metered, memory-capped, over the session's virtual filesystem. `prepare`
 * describes the run; the host loads glue.wasm once and runs this package's driver.
 */
import { createRequire } from "node:module";
import type { ImageSource, RunSpec, Refusal, RuntimePlugin } from "@llm-wasm-sandbox/core";
import { lastFact, stateNotes } from "@llm-wasm-sandbox/core/guest-facts";
import { RuntimeType } from "@llm-wasm-sandbox/core/runtime-type";
import { GUEST_HOME_ENV, INTERNAL_DIR } from "@llm-wasm-sandbox/core/workspace-path";
import { CONTROL_DEVICE_PATH, resolveBuiltFile } from "@llm-wasm-sandbox/wasi-host/host";
import { parseLuaDriverData } from "./driver-data.js";
import { luaLanguageError } from "./interpret.js";

const require = createRequire(import.meta.url);
const pkg = require("../package.json") as { name: string; version: string };

/** The Lua version glue.wasm was built from. */
export const LUA_VERSION = "5.4";

/** Guest path of the user's code (a seed file: not journaled, not persisted). */
export const USER_CODE_GUEST_PATH = "/app/user_code.lua";

/** Guest path read-only Lua modules may be mounted at (on `package.path`). */
export const LUA_MODULES_GUEST_PATH = "/data/lua";

/**
 * Guest path of the `_state` file (`autoPersistGlobals`): a Lua table constructor written
 * by guest/state.lua, hidden from listings by the umbrella.
 */
export const LUA_STATE_GUEST_PATH = `/app/${INTERNAL_DIR}/lua-state.lua`;

/** glue.wasm declares 256 initial pages: memory caps below this cannot even start Lua. */
export const LUA_MIN_MEMORY_BYTES = 16 * 1024 * 1024;

const image: ImageSource = {
  id: `${pkg.name}@${pkg.version}/glue.wasm`,
  name: "lua-glue.wasm",
  load: async () => require.resolve("wasmoon/dist/glue.wasm"),
};

let driver: string | null = null;

/** The Lua runtime plugin. glue.wasm loads only when the host first runs it. */
export const luaPlugin: RuntimePlugin = Object.freeze({
  specificationVersion: "v2",
  type: RuntimeType.LUA,
  displayName: "Lua 5.4",
  languageVersion: `Lua ${LUA_VERSION}`,
  fileExtension: ".lua",
  packageName: pkg.name,
  version: pkg.version,
  // Calibrated on tooling/fidelity's agent-program corpus (`pnpm bench` there): ≥ 95 % of
  // it fits, while `while True: pass` still spends it well inside the default 30 s.
  defaults: { fuelBudget: 20_000_000_000 },
  warmSessions: true,
  prepare(request): RunSpec | Refusal {
    if (request.policy.memoryBytes < LUA_MIN_MEMORY_BYTES) {
      return {
        kind: "refusal",
        name: "MemoryTooSmall",
        message: `the Lua runtime needs memoryBytes of at least ${LUA_MIN_MEMORY_BYTES} (16 MiB); got ${request.policy.memoryBytes}`,
        guidance: ["Raise policy.memoryBytes to at least 16 MiB."],
      };
    }
    driver ??= resolveBuiltFile(import.meta.url, "driver.js", pkg.name);
    return {
      kind: "run",
      image,
      driver,
      driverData: parseLuaDriverData({
        userPath: USER_CODE_GUEST_PATH,
        statePath: request.autoPersistGlobals ? LUA_STATE_GUEST_PATH : null,
        controlPath: CONTROL_DEVICE_PATH,
        args: request.args,
      }),
      argv: ["lua", USER_CODE_GUEST_PATH, ...request.args],
      envAdditions: GUEST_HOME_ENV,
    };
  },
  interpret(raw, request) {
    const error = lastFact(raw.facts, "error");
    const notes = request.autoPersistGlobals ? stateNotes(raw.facts, "_state", raw) : [];
    return {
      languageError: error ? luaLanguageError({ message: error.message, hasTraceback: error.traceback !== undefined }) : null,
      ...(notes.length > 0 ? { notes } : {}),
    };
  },
} satisfies RuntimePlugin);
