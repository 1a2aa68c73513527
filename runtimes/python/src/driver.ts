/**
 * Worker-side driver of the Python runtime (built to `dist/driver.js`): CPython 3.14 from
 * `pyodide.asm.wasm`, driven through its C API with the sandbox's own imports (no
 * Pyodide JavaScript). Three modes:
 *
 * - `snapshot` (the host's snapshot run, `ctx.snapshot === null`): instantiate, run the C
 *   constructors, remove the sealed built-in modules, initialize CPython (PEP 741), run
 *   the warm-up, then hand the pages that differ from a fresh instance (and the mutable
 *   globals) to the host. Once per image and layout, on the sandbox's own budget.
 * - `script`: the same start without a snapshot, then one script of the sandbox's own
 *   (compiling the standard library); the exit code says whether it succeeded.
 * - `run`: instantiate a fresh instance, restore the host's snapshot (`ctx.snapshot`) into
 *   it (memcpy: no fuel), call the bootstrap's `start` with the run's configuration (the
 *   part of the run that does not depend on the program: environment, arguments, paths,
 *   `random`), create the control device, call the bootstrap's `run`, which ends the guest
 *   with `os._exit(status)` (a ProcExit).
 *
 * Pre-warmed instances (`prewarm`) get the snapshot restored and the bootstrap's `start`
 * run before a run takes them: the same calls in the same order as a cold run's, on an
 * instance of the same configuration (the plan's key), so the run continues exactly where
 * a cold run would be, and pays the start's fuel (see `PrewarmPlan.start`).
 */
import { captureImage, defineDriver, emscripten, readGlobals, requireImage, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import { allocString, callFunction, cpythonExports, initialize, runString, sealBuiltinModules, type CPythonExports } from "./driver/cpython.js";
import { parseDriverData, type RunDriverData, type ScriptDriverData, type SnapshotDriverData } from "./driver/driver-data.js";
import { createCPythonHooks, isJsBridgeDenied, pythonFallback, SEALED_MODULES } from "./driver/guest-imports.js";

export default defineDriver({
  parse: parseDriverData,
  run(ctx, data) {
    if (data.mode === "snapshot") return makeSnapshot(ctx, data);
    if (data.mode === "script") return runScript(ctx, data);
    return runUserCode(ctx, data);
  },
  // Every run restores the same snapshot into a fresh instance and starts its configuration
  // there: that much can be ready. (A warm session's live world never takes one.)
  prewarm: (data, snapshot) => (data.mode === "run" && snapshot !== null ? { key: `run\0${data.controlPath}\0${data.config}`, restore: snapshot, start: (ctx) => startRun(ctx, data) } : null),
});

/**
 * What a pre-warm start leaves for the run: the configuration the bootstrap's `start`
 * applied, and the instance with its imports (rebound to the run's world when it is taken).
 */
interface PythonStart {
  readonly config: string;
  readonly started: Started;
}

/** The pre-warm start (see `PrewarmPlan.start`): a cold run's first steps, on the restored instance. */
function startRun(ctx: GuestContext, data: RunDriverData): PythonStart {
  const started = start(ctx, "/app");
  if (bootCall(started.ex, "start", data.config) !== 0) throw new Error("the bootstrap's start failed (see its traceback)");
  // fds live in the imports, which the run rebinds with fresh ones: the start must leave none.
  if (started.env.openFds().length !== 3) throw new Error("the bootstrap's start left files open");
  return { config: data.config, started };
}

/** The run's instance and imports: the pre-warm start's, rebound to the run's world, or new ones. */
function takeOrStart(ctx: GuestContext, data: RunDriverData, prestarted: PythonStart | null): Started {
  if (prestarted === null) return start(ctx, "/app");
  if (prestarted.config !== data.config) throw new TypeError("Python driver: the pre-warmed instance was started with another configuration");
  const { env, instance } = prestarted.started;
  env.rebind(ctx);
  if (ctx.instantiate(env.imports) !== instance) throw new TypeError("Python driver: the run was not handed its pre-warmed instance");
  return prestarted.started;
}

interface Started {
  readonly ex: CPythonExports;
  readonly instance: WebAssembly.Instance;
  readonly env: emscripten.EmscriptenEnv;
}

function start(ctx: GuestContext, cwd: string): Started {
  let ex: CPythonExports | null = null;
  const bound = (): CPythonExports => {
    if (ex === null) throw new TypeError("Python import used before instantiation finished");
    return ex;
  };
  const hooks = createCPythonHooks({ table: () => bound().__indirect_function_table, allocString: (text) => allocString(bound(), text) });
  const env = emscripten.createEmscriptenEnv(ctx, { cwd, provide: { env: hooks }, fallback: pythonFallback });
  const instance = ctx.instantiate(env.imports);
  env.attach(instance);
  ex = cpythonExports(instance);
  return { ex, instance, env };
}

/** Runs the C constructors, seals the built-in modules, narrows the stack and initializes CPython. */
function boot(ex: CPythonExports, init: SnapshotDriverData["init"], stackBytes: number): void {
  ex.__wasm_call_ctors();
  const removed = sealBuiltinModules(ex, SEALED_MODULES);
  if (!removed.includes("_ctypes")) throw new Error("could not remove _ctypes from the built-in modules — pyodide.asm.wasm build not supported");
  if (stackBytes > 0) {
    // The shadow stack grows down from base to end. A smaller window makes CPython's
    // recursion guard fire before the engine's native stack runs out.
    const base = ex.emscripten_stack_get_base();
    const end = Math.max(ex.emscripten_stack_get_end(), base - stackBytes);
    ex.emscripten_stack_set_limits(base, end);
  }
  initialize(ex, init);
}

function runScript(ctx: GuestContext, data: ScriptDriverData): number {
  const { ex } = start(ctx, "/app");
  boot(ex, data.init, 0);
  const status = runString(ex, data.script);
  ex.fflush(0);
  return status === 0 ? 0 : 1;
}

function makeSnapshot(ctx: GuestContext, data: SnapshotDriverData): number {
  const { image } = requireImage(ctx);
  const { ex, instance, env } = start(ctx, "/");
  const fresh = new Uint8Array(ctx.memory.buffer).slice();
  const tableLength = ex.__indirect_function_table.length;
  boot(ex, data.init, data.stackBytes);
  if (runString(ex, data.warmup) !== 0) throw new Error("the sandbox's Python warm-up raised (see stderr)");
  ex.fflush(0);
  const open = env.openFds();
  if (open.length !== 3) throw new Error(`the warm-up left files open (fds ${open.join(", ")}); a snapshot cannot carry them`);
  if (ex.__indirect_function_table.length !== tableLength) throw new Error("the function table changed during initialization; a snapshot cannot carry it");
  ctx.saveSnapshot(captureImage(new Uint8Array(ctx.memory.buffer), fresh, readGlobals(instance, [image.fuelExport, image.growFailedExport])));
  return 0;
}

function runUserCode(ctx: GuestContext, data: RunDriverData): number {
  const image = ctx.snapshot;
  if (image === null) throw new TypeError("Python driver: a run needs the interpreter snapshot (RunSpec.snapshot)");
  // A warm session's live world never takes a pre-warmed instance.
  const prestarted = ctx.live === undefined ? ((ctx.started?.() ?? null) as PythonStart | null) : null;
  const { ex, instance } = takeOrStart(ctx, data, prestarted);
  ctx.restore(instance, image, "the initialized Python interpreter");
  if (ctx.live !== undefined) {
    ctx.control.mountDevice(ctx.fs, data.controlPath);
    return runKept(ctx, ex, data);
  }
  try {
    // The bootstrap printed its traceback; nothing of the program ran.
    if (prestarted === null && bootCall(ex, "start", data.config) !== 0) return 1;
    ctx.control.mountDevice(ctx.fs, data.controlPath);
    bootCall(ex, "run", data.config);
  } catch (error) {
    if (!isJsBridgeDenied(error)) throw error;
    // Unreachable through the sealed modules, but if some route got here: the call
    // unwound through CPython's frames, so the interpreter cannot go on. End like an
    // uncaught error, saying why.
    ctx.control.report({ kind: "error", name: error.name, message: error.message });
    return 1;
  }
  // The bootstrap always ends in os._exit, so returning means it failed before that.
  return 1;
}

/** The per-run bootstrap (`guest/_llm_sandbox/boot.py`), already imported in the snapshot. */
const BOOT_MODULE = "_llm_sandbox.boot";

/** Calls `_llm_sandbox.boot.<name>(text)`: 0, or -1 after printing the exception. */
function bootCall(ex: CPythonExports, name: "start" | "run" | "keep_alive", text: string): number {
  return callFunction(ex, BOOT_MODULE, name, text);
}

/** Where a warm session's run leaves its exit status (the run-only scratch directory). */
const STATUS_PATH = "/tmp/.llm-sandbox-status";

/**
 * Warm sessions (`ctx.live`): boot.py's run writes its exit status to STATUS_PATH and
 * returns instead of `os._exit`, and the interpreter is kept for the next execution,
 * which calls the bootstrap's `run` with its own configuration in it. A run that did not leave a status (the
 * sandbox's own step failed, the program ended the process) ends the interpreter.
 */
function runKept(ctx: GuestContext, ex: CPythonExports, data: RunDriverData, continuing = false): number {
  try {
    if (ctx.fs.lookup(STATUS_PATH).inode !== null) ctx.fs.unlink(STATUS_PATH);
    // Once per interpreter: boot.py remembers it (a run that undid it would end with os._exit, and not be kept).
    if (!continuing) bootCall(ex, "keep_alive", STATUS_PATH);
    bootCall(ex, "run", data.config);
  } catch (error) {
    if (!isJsBridgeDenied(error)) throw error;
    ctx.control.report({ kind: "error", name: error.name, message: error.message });
    return 1;
  }
  ex.fflush(0);
  const status = readStatus(ctx);
  if (status === null) return 1;
  ctx.live?.keep((next) => {
    const nextData = parseDriverData(next);
    if (nextData.mode !== "run") throw new TypeError("Python driver: a warm session continues with run data only");
    return runKept(ctx, ex, nextData, true);
  });
  return status;
}

function readStatus(ctx: GuestContext): number | null {
  const inode = ctx.fs.lookup(STATUS_PATH).inode;
  if (inode === null || inode.kind !== "file") return null;
  const text = new TextDecoder().decode(inode.bytes());
  ctx.fs.unlink(STATUS_PATH);
  return /^\d{1,3}$/.test(text) ? Number(text) : null;
}
