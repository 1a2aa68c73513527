/**
 * A typed layer that maps an emscripten module's own imports — its `__syscall_*` and
 * `wasi_snapshot_preview1` file imports, setjmp/longjmp (`invoke_*`), heap growth, time,
 * `exit` — onto a run's GuestContext: the VirtualFs, the capped output sinks, the memory
 * cap and the deterministic clock. A runtime's driver creates it, instantiates through
 * `ctx.instantiate(env.imports)` and then `attach`es the instance.
 *
 * Nothing here reaches the host: `system` always fails, there are no processes, sockets
 * or host JavaScript, and every path is resolved inside the VirtualFs.
 */
import { requireImage } from "../require-image.js";
import { ProcExit, type GuestContext, type MeteredImage } from "../types.js";
import { traceImports, traceRequested } from "../wasi/trace.js";
import { EmErrno } from "./errno.js";
import { createFdImports } from "./fd-syscalls.js";
import { FdTable } from "./fd-table.js";
import { createFsSyscalls, type FsState } from "./fs-syscalls.js";
import { GuestMemory, utf8 } from "./guest-memory.js";
import { createHeapImports } from "./heap.js";
import { createPathExtras, createPositionalIo } from "./path-extras.js";
import { createClockImports, createRuntimeExtras } from "./runtime-extras.js";
import { createSjljImports, type SjljExports } from "./sjlj.js";
import { createTimeImports } from "./time.js";

export { GuestMemory } from "./guest-memory.js";
export { EmErrno, emErrno } from "./errno.js";
export { formatTime, type BrokenDownTime } from "./time.js";

/** The exports of an emscripten module the layer uses (all optional but the sjlj ones when invoke_* are imported). */
export interface EmscriptenExports extends Partial<SjljExports> {
  readonly malloc?: (size: number) => number;
  readonly free?: (ptr: number) => void;
  readonly __errno_location?: () => number;
}

/** Options of `createEmscriptenEnv`. */
export interface EmscriptenEnvOptions {
  /** Absolute guest path of the initial working directory (default `/app`). */
  readonly cwd?: string;
  /**
   * Imports the runtime supplies itself, by import module (`env`, `GOT.func`, …): they are
   * added to (or replace) this layer's, and count as provided in the completeness check.
   * A driver uses it for its binary's own imports, e.g. ones that must fail closed.
   */
  readonly provide?: Readonly<Record<string, Readonly<Record<string, WebAssembly.ImportValue>>>>;
  /**
   * Called for each import neither this layer nor `provide` has; what it returns is used
   * (e.g. a stub that fails closed), `undefined` leaves the import missing.
   */
  readonly fallback?: (module: string, name: string, kind: WebAssembly.ImportExportKind) => WebAssembly.ImportValue | undefined;
}

/** The imports of one emscripten instance and the handle to finish wiring them. */
export interface EmscriptenEnv {
  /** Pass to `ctx.instantiate`. */
  readonly imports: WebAssembly.Imports;
  /** The guest memory accessor (the run's capped memory). */
  readonly memory: GuestMemory;
  /** Binds the instance's exports (needed by invoke_*, `_tzset_js`, `system`). */
  attach(instance: WebAssembly.Instance): void;
  /**
   * The fds open now, ascending. A driver that snapshots an instance checks that only the
   * standard streams are open: fds live in this layer, not in the guest's memory, so a
   * restored instance would not have any other.
   */
  openFds(): number[];
  /**
   * Points the env at another run's world: its filesystem (the cwd resolved there, fresh
   * fds holding only the standard streams), stdin, output, clock, environment and memory
   * notice. A driver's pre-warm start builds the env (and instantiates with it) in the
   * pre-warm's world; the run that takes the instance rebinds it instead of building
   * another. Nothing of the previous world stays reachable from the env.
   * @throws TypeError when the run differs in what the imports were built for (its image,
   *   memory, memory cap, argv[0], whether its clock can sleep) or the cwd is no directory there.
   */
  rebind(ctx: GuestContext): void;
}

/**
 * Creates the imports for `ctx.module`.
 * @throws TypeError naming the module's imports this layer does not provide, so an
 *   unsupported binary fails before it runs rather than at its first odd syscall.
 */
export function createEmscriptenEnv(ctx: GuestContext, options: EmscriptenEnvOptions = {}): EmscriptenEnv {
  const { module, image } = requireImage(ctx);
  const mem = new GuestMemory(ctx.memory);
  const cwdPath = options.cwd ?? "/app";
  const state: FsState = { fs: ctx.fs, mem, fds: new FdTable(), cwd: cwdOf(ctx, cwdPath), cwdPath };
  // The world the imports act on (see `rebind`): everything run-specific is read through it.
  let world = ctx;
  const clock: GuestContext["clock"] = {
    realtimeNs: () => world.clock.realtimeNs(),
    monotonicNs: () => world.clock.monotonicNs(),
    fillRandom: (buf) => world.clock.fillRandom(buf),
  };
  const canSleep = sleepOf(ctx.clock) !== undefined;
  const programName = ctx.argv[0] ?? "program";
  let exports: EmscriptenExports | null = null;
  const bound = (): EmscriptenExports => {
    if (exports === null) throw new TypeError("emscripten env used before attach(instance)");
    return exports;
  };
  const sjlj = (): SjljExports => {
    const ex = bound();
    if (!ex.stackSave || !ex.stackRestore || !ex.setThrew || !ex.__indirect_function_table) {
      throw new TypeError(`${image.name} imports invoke_* but does not export stackSave/stackRestore/setThrew/__indirect_function_table`);
    }
    return ex as SjljExports;
  };
  const declared = moduleImports(module, image);
  const wanted = declared.filter((i) => i.kind === "function");
  const invokeNames = wanted.filter((i) => i.module === "env" && i.name.startsWith("invoke_")).map((i) => i.name);
  const fd = createFdImports(state, {
    get stdin() {
      return world.stdin;
    },
    writeStdout: (b) => world.writeStdout(b),
    writeStderr: (b) => world.writeStderr(b),
  });
  let envVars = environOf(ctx);

  const env: Record<string, (...args: never[]) => unknown> = {
    ...createSjljImports(invokeNames, sjlj),
    ...createHeapImports({ memory: ctx.memory, capBytes: ctx.limits.memoryBytes, onLimitHit: () => world.noteMemoryLimitHit() }),
    ...createTimeImports(mem, clock, () => exports?.malloc),
    ...createFsSyscalls(state),
    ...createPathExtras(state, canSleep ? (ns) => sleepOf(world.clock)?.(ns) : undefined),
    ...createRuntimeExtras({
      mem,
      clock,
      capBytes: ctx.limits.memoryBytes,
      programName,
      table: () => exports?.__indirect_function_table,
      writeStderr: (b) => world.writeStderr(b),
    }),
    ...fd,
    abort: (): never => {
      throw new WebAssembly.RuntimeError("abort() called by the guest");
    },
    exit: (code: number): never => {
      throw new ProcExit(code);
    },
    system: (command: number): number => {
      // No shell exists: system(NULL) says so, any command fails with ENOSYS.
      if (command === 0) return 0;
      const errnoAt = exports?.__errno_location?.();
      if (errnoAt !== undefined) mem.setI32(errnoAt, EmErrno.NOSYS);
      return -1;
    },
  };
  const wasi: Record<string, (...args: never[]) => unknown> = {
    ...fd,
    ...createPositionalIo(state),
    ...createClockImports(mem, clock),
    environ_sizes_get: (countPtr: number, sizePtr: number): number => {
      mem.setU32(countPtr, envVars.length);
      mem.setU32(sizePtr, envVars.reduce((n, v) => n + v.length + 1, 0));
      return 0;
    },
    environ_get: (environ: number, buf: number): number => {
      let p = buf;
      envVars.forEach((v, i) => {
        mem.setU32(environ + i * 4, p);
        mem.writeCString(p, v, v.length + 1);
        p += v.length + 1;
      });
      return 0;
    },
    proc_exit: (code: number): never => {
      throw new ProcExit(code);
    },
  };

  const extra: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const [module, values] of Object.entries(options.provide ?? {})) extra[module] = { ...values };
  Object.assign(env, extra.env as Record<string, (...args: never[]) => unknown> | undefined);
  Object.assign(wasi, extra.wasi_snapshot_preview1 as Record<string, (...args: never[]) => unknown> | undefined);
  const provided: Record<string, Record<string, unknown>> = { ...extra, env, wasi_snapshot_preview1: wasi };
  const required = declared.filter((i) => i.kind === "function" || i.kind === "global");
  const missing: string[] = [];
  for (const i of required) {
    if (provided[i.module]?.[i.name] !== undefined) continue;
    const value = options.fallback?.(i.module, i.name, i.kind);
    if (value === undefined) missing.push(`${i.module}.${i.name}`);
    else (provided[i.module] ??= extra[i.module] ??= {})[i.name] = value;
  }
  if (missing.length > 0) {
    throw new TypeError(`${image.name} needs emscripten imports this layer does not provide: ${missing.join(", ")}`);
  }
  // LLM_SANDBOX_TRACE=1 logs every syscall, as the WASI layer does; the hot longjmp
  // path (invoke_*) is left out so traces stay readable.
  const traced = traceRequested();
  const tracedEnv = traced ? { ...env, ...traceImports(pick(env, (n) => !n.startsWith("invoke_") && n !== "_emscripten_throw_longjmp")) } : env;
  return {
    imports: { ...extra, env: tracedEnv, wasi_snapshot_preview1: traced ? traceImports(wasi) : wasi },
    memory: mem,
    attach(instance) {
      exports = instance.exports as unknown as EmscriptenExports;
    },
    openFds: () => state.fds.list(),
    rebind(next) {
      const other = requireImage(next).image;
      if (other.name !== image.name || other.hash !== image.hash) throw new TypeError(`an emscripten env built for ${image.name} cannot serve a run of ${other.name}`);
      if (next.memory !== ctx.memory || next.limits.memoryBytes !== ctx.limits.memoryBytes) throw new TypeError("an emscripten env serves only its own memory and cap");
      if ((next.argv[0] ?? "program") !== programName || (sleepOf(next.clock) !== undefined) !== canSleep) throw new TypeError("an emscripten env serves only runs with its argv[0] and kind of clock");
      state.cwd = cwdOf(next, cwdPath);
      state.fs = next.fs;
      state.fds = new FdTable();
      state.cwdPath = cwdPath;
      envVars = environOf(next);
      world = next;
    },
  };
}

/** The directory `path` in the run's filesystem. @throws TypeError when it is none. */
function cwdOf(ctx: GuestContext, path: string): FsState["cwd"] {
  const cwd = ctx.fs.resolve(path);
  if (cwd.kind !== "directory") throw new TypeError(`emscripten cwd ${path} is not a directory`);
  return cwd;
}

/** `environ` as `environ_get` writes it: NAME=value strings. */
function environOf(ctx: GuestContext): Uint8Array[] {
  return Object.entries(ctx.env).map(([k, v]) => utf8(`${k}=${v}`));
}

/** Import lists by module object, and by image identity for the images this thread ran (a few at most). */
const importsByModule = new WeakMap<WebAssembly.Module, readonly WebAssembly.ModuleImportDescriptor[]>();
const importsByImage = new Map<string, readonly WebAssembly.ModuleImportDescriptor[]>();
const MAX_IMAGES = 16;

/**
 * `WebAssembly.Module.imports(module)`, listed once per image and thread: V8 builds the
 * list anew on every call (~550 objects for the Python binary, ~0.35 ms), and a pooled
 * task's module arrives as a new object every run (structured clone), so besides the
 * object it is keyed by what identifies a metered image's bytes (source hash, name, the
 * memory import and the meter's globals). Were two different modules ever to share that
 * key, the layer would build imports for the other list: instantiation then fails with a
 * LinkError or gets imports it never calls; it cannot reach anything it is not given.
 */
function moduleImports(module: WebAssembly.Module, image: Omit<MeteredImage, "module">): readonly WebAssembly.ModuleImportDescriptor[] {
  const known = importsByModule.get(module);
  if (known !== undefined) return known;
  const key = typeof image.hash === "string" && image.hash !== "" ? [image.name, image.hash, image.memory.module, image.memory.name, image.fuelExport, image.growFailedExport].join("\0") : null;
  let list = key === null ? undefined : importsByImage.get(key);
  if (list === undefined) {
    list = Object.freeze(WebAssembly.Module.imports(module));
    if (key !== null) {
      if (importsByImage.size >= MAX_IMAGES) importsByImage.delete(importsByImage.keys().next().value!);
      importsByImage.set(key, list);
    }
  }
  importsByModule.set(module, list);
  return list;
}

/** The run clock's `sleep` when it has one (the worker's clock does; a bare GuestClock may not). */
function sleepOf(clock: GuestContext["clock"]): ((ns: bigint) => void) | undefined {
  const { sleep } = clock;
  return sleep === undefined ? undefined : (ns) => sleep.call(clock, ns);
}

function pick<T>(record: Record<string, T>, keep: (name: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => keep(name)));
}
