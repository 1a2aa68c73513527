/**
 * Worker-side driver of the JavaScript runtime (built to `dist/driver.js`; its default
 * export is the GuestDriver). One run: a fresh metered QuickJS-NG instance over the
 * run's capped memory, the sandbox's globals over the run's VirtualFs, the user's
 * program with its event loop, and `_state` persistence when asked for.
 */
import { isMainThread, resourceLimits } from "node:worker_threads";
import { defineDriver, type GuestContext } from "@llm-wasm-sandbox/wasi-host/driver";
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import { parseJavaScriptDriverData, type JavaScriptDriverData } from "./driver/driver-data.js";
import { GuestFiles } from "./driver/guest-files.js";
import { GuestFormat } from "./driver/guest-format.js";
import { installGlobals, installRunGlobals, type RunBinding } from "./driver/globals.js";
import { HostFunctions } from "./driver/host-functions.js";
import { hasModuleSyntax, resolveModule } from "./driver/module-resolution.js";
import { runProgram } from "./driver/program.js";
import { type GlueWorld, loadQuickJS } from "./driver/quickjs-loader.js";
import { installPlatformApis } from "./driver/platform-apis.js";
import { installTextCodec } from "./driver/text-codec.js";
import { installTools } from "./driver/tools.js";
import { TimerQueue } from "./driver/timers.js";
import { STATE_GUEST_PATH, type SavedState } from "./state-persist.js";
import stateJs from "../guest/state.js?raw";

const encoder = new TextEncoder();

export default defineDriver({
  parse: parseJavaScriptDriverData,
  run: runDriver,
  // Every run starts from QuickJS-NG with a runtime (of the run's stack size) and a
  // context with the run-independent globals: that much can be ready (its fuel is
  // charged to the run).
  prewarm: (data) => ({ key: `quickjs+globals:${data.maxStackBytes ?? "default"}`, restore: null, start: (ctx) => startQuickJS(ctx, data) }),
});

/**
 * An instantiated QuickJS-NG module with a runtime and a context whose run-independent
 * globals are defined, serving the run in `world` once one is bound (`bind`).
 */
interface QuickJSStart {
  readonly qjs: QuickJSWASMModule;
  readonly rt: QuickJSRuntime;
  readonly vm: QuickJSContext;
  readonly world: GlueWorld;
  /** The glue's imports (they forward to `world.ctx`): the run binds the pre-started instance to them. */
  readonly imports: WebAssembly.Imports;
  readonly host: HostFunctions;
  readonly format: GuestFormat;
  readonly timers: TimerQueue;
  /** Binds the run the globals serve (its files, output, clock, randomness, fatal errors); once. */
  readonly bind: (run: BoundRun) => void;
}

/** What the globals defined in the start call into. */
interface BoundRun extends RunBinding {
  readonly onFatal: (e: unknown) => void;
}

/**
 * The start every run makes, in this order: instantiate, runtime, stack limit, context,
 * the globals no run's data goes into (console, file helpers, requireVendor, crypto,
 * timers, TextEncoder/TextDecoder, the platform APIs) — each a host function that calls
 * into the run bound later. A pre-warm start (see `PrewarmPlan.start`) is this with the
 * pre-warm's context; no guest code runs in it, and every instance serves one run, so
 * nothing a run does is seen by another.
 */
async function startQuickJS(ctx: GuestContext, data: JavaScriptDriverData): Promise<QuickJSStart> {
  const world: GlueWorld = { ctx };
  const { qjs, imports } = await loadQuickJS(world, (code) => {
    throw new GuestExit(code);
  });
  const rt = qjs.newRuntime();
  rt.setMaxStackSize(data.maxStackBytes ?? defaultStackBytes());
  const vm = rt.newContext();
  let bound: BoundRun | null = null;
  const run = (): BoundRun => {
    if (bound === null) throw new Error("JavaScript driver: a global was called before a run was bound");
    return bound;
  };
  const host = new HostFunctions(vm, (e) => run().onFatal(e));
  const format = new GuestFormat(vm);
  const timers = new TimerQueue(vm);
  installGlobals({ vm, host, format, run });
  timers.install(host, vm.global);
  installTextCodec(vm, host);
  installPlatformApis(vm);
  const bind = (next: BoundRun): void => {
    if (bound !== null) throw new Error("JavaScript driver: a started QuickJS serves one run");
    bound = next;
  };
  return { qjs, rt, vm, world, imports, host, format, timers, bind };
}

/** This run's QuickJS: the pre-started one switched to the run (its fuel charged by `instantiate`), or a new one. */
async function quickJSFor(ctx: GuestContext, data: JavaScriptDriverData): Promise<QuickJSStart> {
  const started = (ctx.started?.() ?? null) as QuickJSStart | null;
  if (started === null) return startQuickJS(ctx, data);
  started.world.ctx = ctx;
  ctx.instantiate(started.imports);
  return started;
}

async function runDriver(ctx: GuestContext, data: JavaScriptDriverData): Promise<number> {
  const files = new GuestFiles(ctx.fs, ctx.limits.memoryBytes);
  const code = files.readText(data.entry);
  const writeStderr = (text: string) => ctx.writeStderr(encoder.encode(text));

  // Per execution (a warm session runs several in one context): the first fatal cause.
  const guard: { fatal: unknown } = { fatal: null };
  const onFatal = (e: unknown) => {
    guard.fatal ??= e;
  };
  const restoreConsole = muteGlueConsole(onFatal);
  try {
    const { rt, vm, host, format, timers, bind } = await quickJSFor(ctx, data);
    bind({
      files,
      out: { stdout: (t) => ctx.writeStdout(encoder.encode(t)), stderr: writeStderr },
      nowMs: () => Number(ctx.clock.monotonicNs()) / 1e6,
      fillRandom: (buf) => ctx.clock.fillRandom(buf),
      onFatal,
    });
    setModuleLoader(rt, files);
    installRunGlobals(vm, { env: ctx.env, randomSeed: ctx.limits.deterministic ? ctx.limits.randomSeed : null, scriptArgs: ctx.argv.slice(1) });
    installTools(vm, host, ctx.control);
    const state = data.autoPersistGlobals ? loadState(vm, files, ctx) : null;
    const live: LiveProgram = { vm, rt, timers, format, files, state, guard, onFatal };
    const exitCode = await runUserProgram(ctx, live, code, data.entry);
    keepContext(ctx, live);
    return exitCode;
  } catch (error) {
    return failure(error, guard.fatal, writeStderr);
  } finally {
    restoreConsole();
  }
}

/** What a QuickJS context keeps between the executions of a warm session. */
interface LiveProgram {
  readonly vm: QuickJSContext;
  readonly rt: QuickJSRuntime;
  readonly timers: TimerQueue;
  readonly format: GuestFormat;
  readonly files: GuestFiles;
  readonly state: ReturnType<typeof loadState> | null;
  readonly guard: { fatal: unknown };
  readonly onFatal: (e: unknown) => void;
}

/** Runs one program (and its event loop) in the context; saves `_state` after a success. */
async function runUserProgram(ctx: GuestContext, live: LiveProgram, code: string, entry: string): Promise<number> {
  const { vm, rt, timers, format, state } = live;
  const writeStderr = (text: string) => ctx.writeStderr(encoder.encode(text));
  const kind = programKind(vm, code, entry);
  const onUncaught = (error: QuickJSHandle): void => void ctx.control.report(errorFact(vm, format, error));
  const exitCode = await runProgram(vm, rt, timers, format, { code, filename: entry, kind, wait: ctx.limits.deterministic ? null : realWait(ctx.clock), writeStderr, onUncaught });
  if (live.guard.fatal !== null) throw live.guard.fatal;
  if (exitCode === 0 && state !== null) state.save(format);
  return exitCode;
}

/**
 * Warm sessions (`ctx.live`): the context lives on, and the next execution runs its
 * program in it — globals, generators, class instances and loaded modules intact.
 * Nothing of this execution may run in the next one: after a program that ended well the
 * event loop ran dry, but one that ended on an uncaught error returns at once. Its timers
 * are dropped (as in Node, where an uncaught error ends the process before they fire);
 * promise jobs cannot be taken out of QuickJS's queue, so with any pending the context is
 * not kept and the next execution starts cold.
 */
function keepContext(ctx: GuestContext, live: LiveProgram): void {
  live.timers.clear();
  if (live.rt.hasPendingJob()) return;
  ctx.live?.keep(async (next) => {
    const data = parseJavaScriptDriverData(next);
    const writeStderr = (text: string) => ctx.writeStderr(encoder.encode(text));
    live.guard.fatal = null;
    const restoreConsole = muteGlueConsole(live.onFatal);
    try {
      const exitCode = await runUserProgram(ctx, live, live.files.readText(data.entry), data.entry);
      keepContext(ctx, live);
      return exitCode;
    } catch (error) {
      return failure(error, live.guard.fatal, writeStderr);
    } finally {
      restoreConsole();
    }
  });
}

/** How a run that threw ends: the guest's exit code, or the cause rethrown for the host to classify. */
function failure(error: unknown, fatal: unknown, writeStderr: (text: string) => void): number {
  if (error instanceof GuestExit) return error.exitCode;
  const cause = fatal ?? error;
  // V8's own stack overflowed before QuickJS's limit caught it (a deep native path):
  // say so in the guest's words too, then let the host classify it (stack_overflow).
  if (cause instanceof RangeError && /call stack/i.test(cause.message)) {
    writeStderr("RangeError: Maximum call stack size exceeded (recursion too deep)\n");
  }
  throw cause;
}

/**
 * The glue's `exit()`: unwinds to the driver, which returns the code. (A local class
 * rather than wasi-host's ProcExit keeps this worker-side module free of runtime
 * imports of the host package.)
 */
class GuestExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit(${exitCode})`);
  }
}

/** `import` resolves only inside /app and /data_js (see module-resolution.ts). */
function setModuleLoader(rt: QuickJSRuntime, files: GuestFiles): void {
  // A failed resolution cannot be reported from the normalizer (QuickJS would go on to
  // load an empty name), so it returns a token the loader turns back into the error.
  const unresolved = new Map<string, Error>();
  let unresolvedCount = 0;
  rt.setModuleLoader(
    (name) => {
      const failure = unresolved.get(name);
      if (failure !== undefined) {
        unresolved.delete(name); // each token is loaded once; keeps failed imports from piling up
        return { error: failure };
      }
      try {
        return { value: files.readText(name) };
      } catch (e) {
        return { error: e instanceof Error ? e : new Error(String(e)) };
      }
    },
    (base, requested) => {
      try {
        return { value: resolveModule(base, requested, (p) => files.isFile(p)) };
      } catch (e) {
        const token = `<unresolved:${++unresolvedCount}:${requested}>`;
        unresolved.set(token, e instanceof Error ? e : new Error(String(e)));
        return { value: token };
      }
    },
  );
}

/**
 * How the event loop waits for a timer: on the run clock's sleep when it has one (it blocks
 * the thread and first records the fuel spent so far, so a timer loop stopped by the wall
 * clock reports what it ran), else on a timer of the worker's own.
 */
function realWait(clock: GuestContext["clock"]): (ms: number) => Promise<void> | void {
  const { sleep } = clock;
  if (sleep === undefined) return (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  return (ms) => sleep.call(clock, BigInt(Math.ceil(ms)) * 1_000_000n);
}

/** Script unless it has import/export, or top-level await that only parses as a module. */
function programKind(vm: QuickJSContext, code: string, filename: string): "global" | "module" {
  if (hasModuleSyntax(code)) return "module";
  if (!/\bawait\b/.test(code)) return "global";
  const asScript = vm.evalCode(code, filename, { type: "global", compileOnly: true });
  if (!asScript.error) return "global";
  asScript.error.dispose();
  const asModule = vm.evalCode(code, filename, { type: "module", compileOnly: true });
  if (asModule.error) {
    asModule.error.dispose();
    return "global";
  }
  return "module";
}

/** Loads `_state` from the state file; the returned `save` writes it back after a successful run. */
function loadState(vm: QuickJSContext, files: GuestFiles, ctx: GuestContext) {
  const persist = vm.unwrapResult(vm.evalCode(stateJs, "<sandbox>"));
  const load = vm.getProp(persist, "load");
  const text = vm.newString(files.isFile(STATE_GUEST_PATH) ? files.readText(STATE_GUEST_PATH) : "");
  const loaded = vm.unwrapResult(vm.callFunction(load, vm.undefined, text));
  vm.setProp(vm.global, "_state", vm.getProp(loaded, "value"));
  const problem = vm.dump(vm.getProp(loaded, "problem")) as unknown;
  if (typeof problem === "string") ctx.control.report({ kind: "state", status: "fresh", reason: problem });
  return {
    save(format: GuestFormat): void {
      // Every handle released: in a warm session this runs after each execution.
      const current = vm.getProp(vm.global, "_state");
      const save = vm.getProp(persist, "save");
      const r = vm.callFunction(save, vm.undefined, current);
      current.dispose();
      save.dispose();
      if (r.error) {
        ctx.control.report({ kind: "state", status: "unsaved", reason: format.errorText(r.error) });
        r.error.dispose();
        return;
      }
      const saved = JSON.parse(r.value.consume((v) => vm.getString(v))) as SavedState;
      files.writeText(STATE_GUEST_PATH, JSON.stringify(saved.state));
      ctx.control.report({ kind: "state", status: "saved", skipped: saved.skipped });
    },
  };
}

/** The control-channel fact of an uncaught error: its name, message and stack as QuickJS has them. */
function errorFact(vm: QuickJSContext, format: GuestFormat, error: QuickJSHandle): unknown {
  if (vm.typeof(error) !== "object") return { kind: "error", name: "Uncaught", message: format.errorText(error) };
  const text = (key: string): string | undefined => {
    const value = vm.getProp(error, key);
    try {
      return vm.typeof(value) === "string" ? vm.getString(value) : undefined;
    } finally {
      value.dispose();
    }
  };
  const name = text("name") ?? "Error";
  const stack = text("stack");
  const line = stack === undefined ? undefined : /user_code\.js:(\d+)/.exec(stack)?.[1];
  return { kind: "error", name, message: text("message") ?? "", ...(stack ? { traceback: stack } : {}), ...(line ? { line: Number(line) } : {}) };
}

/**
 * QuickJS's stack limit must trip before V8's own (each QuickJS call is several wasm
 * frames on the thread's native stack): a quarter of the thread's stack, measured
 * against nested-call patterns (plain recursion, Array callbacks, JSON revivers, sort
 * comparators, Proxy traps).
 */
function defaultStackBytes(): number {
  const threadMb = !isMainThread && resourceLimits.stackSizeMb ? resourceLimits.stackSizeMb : 0.95;
  return Math.max(128 * 1024, Math.min(4 * 1024 * 1024, Math.floor((threadMb * 1024 * 1024) / 4)));
}

/**
 * quickjs-emscripten catches an exception escaping a host callback (a trap, V8's stack
 * overflow), logs "[C to host error: returning null]" with `console.error` and returns
 * NULL into QuickJS, which cannot be trusted after that. For the duration of the run the
 * line is kept off the host's stderr and its error becomes the run's fatal cause.
 */
function muteGlueConsole(onFatal: (e: unknown) => void): () => void {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("[C to host")) {
      onFatal(args[1] ?? new Error(args[0]));
      return;
    }
    original.apply(console, args);
  };
  return () => {
    console.error = original;
  };
}
