/**
 * The wasi-host contracts shared by the host side (main thread) and the guest side
 * (worker threads). Implementation modules import these; nothing here runs.
 */
import type { ReadonlyMount, RawRun, WorkspaceSource } from "@llm-wasm-sandbox/core";
import { hasMarker } from "@llm-wasm-sandbox/core/errors";
import type { ControlChannel, ToolCallHandler } from "./control/control-channel.js";
import type { MemoryImage } from "./snapshot/memory-image.js";
import type { VirtualFs } from "./vfs/virtual-fs.js";

/** The memory import the meter gave a module (its own memory, turned into an import). */
export interface MemoryImportSpec {
  readonly module: string;
  readonly name: string;
  /** Minimum pages the module declares. */
  readonly initialPages: number;
  /** Maximum pages the module declares, if any (the host's cap is applied under it). */
  readonly maximumPages: number | null;
}

/** A module instrumented for fuel, memory-imported, stripped of debug sections, compiled. */
export interface MeteredImage {
  /** Human name, e.g. "python.wasm", for messages and cache file names. */
  readonly name: string;
  /** sha256 hex of the original (uninstrumented) bytes. */
  readonly hash: string;
  /** The compiled metered module; can be posted to workers. */
  readonly module: WebAssembly.Module;
  readonly memory: MemoryImportSpec;
  /** Export name of the mutable i64 fuel global (fuel remaining). */
  readonly fuelExport: string;
  /** Export name of the i32 global set to 1 when a `memory.grow` was refused. */
  readonly growFailedExport: string;
}

/** The limits of one run (mapped from ExecutionPolicy). */
export interface RunLimits {
  readonly fuelBudget: number;
  readonly memoryBytes: number;
  readonly stdoutMaxBytes: number;
  readonly stderrMaxBytes: number;
  readonly timeoutMs: number;
  /** Frozen clocks and seeded random_get. */
  readonly deterministic: boolean;
  readonly randomSeed: number;
  /** Host-function calls the guest may make (counted in the worker); default 1000. */
  readonly maxToolCalls?: number;
  /** Bytes of JSON one call's arguments may have (refused in the worker); default 1 MiB. */
  readonly maxToolArgsBytes?: number;
}

/** Options of `run`: one guest execution in a pooled worker. */
export interface RunOptions {
  /** The module the driver instantiates; null when the driver compiles its own (`ctx.instantiate(imports, other)`). */
  readonly image: MeteredImage | null;
  /**
   * File URL of a worker-side driver module whose default export is a GuestDriver.
   * Defaults to the WASI preview1 command driver (instantiate, call `_start`).
   */
  readonly driver?: string;
  /** Structured-clonable data handed to the driver as `ctx.data`. */
  readonly driverData?: unknown;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: Uint8Array;
  /** The session, mounted read-write at /app; its changes come back as the journal. */
  readonly workspace: WorkspaceSource;
  /** Read-only mounts (/data/..., /external). */
  readonly mounts: readonly ReadonlyMount[];
  /** Files placed in /app before the run that are not part of the journal (user_code.py). */
  readonly seedFiles?: Readonly<Record<string, Uint8Array>>;
  readonly limits: RunLimits;
  readonly signal?: AbortSignal;
  /** The initialized-interpreter image the driver restores (`ctx.snapshot`). */
  readonly snapshot?: MemoryImage | null;
  /** Answers the guest's host-function calls on the control channel; without it every call fails. */
  readonly onToolCall?: ToolCallHandler;
  /**
   * JSON text of the host functions' manifest (`[{ name, description, … }]`) the guest's
   * stubs are built from: `ctx.control.tools` in the driver, a `{"kind":"tools"}` line on
   * the device. Default `[]`.
   */
  readonly toolManifest?: string;
  /** Called with output chunks as the guest writes them (within the caps). */
  readonly onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /**
   * Keep an instance ready for the next run like this one in the worker thread that runs
   * it (see `DriverDefinition.prewarm`); whether this run itself got one is `RawRun.prewarmed`.
   * `"if-vacant"`: only when the thread has no instance of that runtime waiting or
   * planned (a host's warm-up run never replaces one a real run left).
   */
  readonly prewarm?: boolean | "if-vacant";
}

/** Deterministic-aware time and randomness, for WASI and for emscripten-style imports. */
export interface GuestClock {
  /** Realtime clock, ns since the epoch (frozen when deterministic). */
  realtimeNs(): bigint;
  /** Monotonic clock, ns (frozen-advancing when deterministic). */
  monotonicNs(): bigint;
  /** Fills `buf` with random bytes (seeded PRNG when deterministic). */
  fillRandom(buf: Uint8Array): void;
  /**
   * Blocks the thread for `ns` (at most the clock's longest sleep, then returns early), or
   * advances virtual time when deterministic. A run's clock has it (the one WASI `poll_oneoff`
   * and emscripten's `poll` wait on) and records the fuel spent so far first, so a guest
   * that waits in a loop reports what it ran when the wall clock stops it.
   */
  sleep?(ns: bigint): void;
}

const procExitMarker = Symbol.for("llm-wasm-sandbox.ProcExit");

/** Thrown by `proc_exit` (and emscripten `exit`): ends the run with a code, not an error. */
export class ProcExit extends Error {
  readonly [procExitMarker] = true;
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit(${exitCode})`);
    this.name = "ProcExit";
    this.exitCode = exitCode;
  }

  /**
   * True for a ProcExit from any copy of this module: a driver bundled in another
   * package (or loaded from `dist/` while the host runs from `src/`) has its own class.
   */
  static isInstance(e: unknown): e is ProcExit {
    return hasMarker(e, procExitMarker);
  }
}

/** What a driver gets inside the worker. */
export interface GuestContext {
  /** The run's compiled module; null for specs without an image (the driver compiles its own). */
  readonly module: WebAssembly.Module | null;
  readonly image: Omit<MeteredImage, "module"> | null;
  /** Host-created memory: image's initial pages, maximum = the memoryBytes cap. */
  readonly memory: WebAssembly.Memory;
  /** `wasi_snapshot_preview1` imports over the virtual filesystem. */
  readonly wasiImports: Record<string, (...args: never[]) => unknown>;
  readonly clock: GuestClock;
  readonly limits: RunLimits;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly data: unknown;
  /**
   * Instantiates the metered module with `imports` (the memory and, unless given,
   * `wasi_snapshot_preview1` are filled in), sets its fuel to the remaining budget
   * and tracks it for fuel accounting and trap classification.
   *
   * `other` instantiates a different metered module of the same run instead (the further
   * core modules of a WASI 0.2 component, compiled by `instrumentModule` and passed in
   * `driverData`): it gets the run's memory for its memory import — so every core module
   * of a component shares the one capped memory — and draws on the same fuel budget.
   */
  instantiate(imports?: WebAssembly.Imports, other?: Omit<MeteredImage, "hash">): WebAssembly.Instance;
  /**
   * Restores an initialized-interpreter image into the run's memory and `instance`'s
   * globals (`restoreImage` + `writeGlobals`). Nothing to copy when `instance` is a
   * pre-warmed one already restored from this very image (see `DriverDefinition.prewarm`).
   * @param what What the image is, for the error message ("the initialized Ruby VM"); default "the snapshot".
   * @throws RangeError naming both sizes when the memory cannot grow to the image's size (the memory cap).
   */
  restore(instance: WebAssembly.Instance, image: MemoryImage, what?: string): void;
  /**
   * What the driver's pre-warm start (`PrewarmPlan.start`) returned when this run's
   * instance — the one its first `instantiate(imports)` hands out — is a pre-warmed one
   * that already ran it: the run then goes on from there instead of starting the
   * interpreter itself (it still calls `instantiate`, which binds the instance's imports
   * to the run's and charges the start's fuel). Null for a cold instance. Absent where no
   * instance is ever pre-warmed (warm sessions).
   */
  started?(): unknown;
  /** Writes to the capped stdout / stderr sinks (what `fd_write` on fd 1/2 uses). */
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
  /**
   * The run's virtual filesystem (the same one the WASI imports use): drivers whose
   * guests do file I/O through their own imports (emscripten syscalls, the JavaScript
   * runtime's file helpers) operate on it directly, and its journal is what the run reports.
   */
  readonly fs: VirtualFs;
  /** The run's stdin bytes (empty when none were given). */
  readonly stdin: Uint8Array;
  /**
   * Records that the guest hit the memory cap through a path the meter cannot see (an
   * emscripten `emscripten_resize_heap` import that refused to grow), so a later
   * failure is classified `memory_limit`.
   */
  noteMemoryLimitHit(): void;
  /** Fuel left for the run (budget minus what every instance consumed so far). */
  fuelRemaining(): number;
  /**
   * Gives every live instance the run's remaining fuel. Each instance meters its own fuel
   * global, so a driver running several at once (a component's core modules call each
   * other directly) calls this at host-call boundaries to keep their total under the budget.
   */
  shareFuel(): void;
  /**
   * The snapshot this run starts from (restore it into the fresh instance), or null —
   * in a snapshot run (`saveSnapshot` allowed) or a run without one.
   */
  readonly snapshot: MemoryImage | null;
  /**
   * Hands the initialized-interpreter image to the host (snapshot runs only; see
   * `captureImage`). The host shares it with every later run of the same snapshot key.
   * @throws Error outside a snapshot run.
   */
  saveSnapshot(image: MemoryImage): void;
  /** The control channel: facts for the host and host-function calls (see control/). */
  readonly control: ControlChannel;
  /**
   * Present only when the run belongs to a warm session (keepAlive): the instance, memory,
   * filesystem and this context outlive the run. A driver whose interpreter is still sound
   * when the user's program ended calls `keep(next)`; the session's next execution then
   * calls `next(data)` instead of the driver — same context, its run-scoped parts (limits,
   * data, outputs, control channel, fuel) switched to the new run. Without `keep` the
   * interpreter is dropped and the next execution starts cold.
   */
  readonly live?: LiveInterpreter;
}

/** Continues a live interpreter with the next execution's driver data; returns its exit code. */
export type GuestContinuation = (data: unknown) => Promise<number> | number;

/** See `GuestContext.live`. */
export interface LiveInterpreter {
  /** Keeps the interpreter for the session's next execution (call once per run, at its end). */
  keep(next: GuestContinuation): void;
}

/** Worker-side entry point of a runtime: runs the guest and returns its exit code. */
export type GuestDriver = (ctx: GuestContext) => Promise<number> | number;

export type { RawRun };
