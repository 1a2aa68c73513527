/**
 * Worker-thread entry of the pool (built to `dist/thread/worker.js`): builds one run's world —
 * capped memory, virtual filesystem with lazy /app, WASI imports, clock — hands it to the
 * driver, and reports how the guest ended. Nothing here outlives the task.
 */
import type { Journal } from "@llm-wasm-sandbox/core";
import { planCommit } from "@llm-wasm-sandbox/core/commit-plan";
import { classifyEnd, classifyTrap, messageOf, type TrapClassification } from "./classify-trap.js";
import { FUEL_SPENT, markStarted, MEMORY_PAGES, PREWARMED, resultTaken } from "./channel/protocol.js";
import { createInstanceTracker } from "./pool/instance-tracker.js";
import { readSharedOutput, SharedOutputWriter } from "./pool/shared-output.js";
import type { WorkerOutcome, WorkerTask } from "./pool/task.js";
import { createWorkerEnv } from "./pool/worker-env.js";
import { PrewarmCache, prewarmKey, type PrewarmShape, type ReadyInstance } from "./pool/prewarm-cache.js";
import { restoreWithinCap, type MemoryImage } from "./snapshot/memory-image.js";
import type { DefinedDriver } from "./define-driver.js";
import { ProcExit, type GuestContext, type GuestDriver } from "./types.js";
import { importBuiltModule } from "./import-built-module.js";
import { moveResult } from "./pool/worker-move.js";
import { runPreparer, type PreparerTask } from "./cache/preparer-task.js";
import { createIdleCollector } from "./pool/idle-collect.js";
import { workerData } from "node:worker_threads";
import { startSpeculation } from "./start-hint/speculate.js";

// A pre-started pool's first thread prepares what the start hint names (start-hint/speculate.ts).
startSpeculation(workerData);

/** Collects this thread's garbage (finished runs' memory) once it has been idle a while. */
const idle = createIdleCollector();

/** The pool's second task kind: module preparation (see `WorkerPool.prepare`). */
export async function prepare(task: PreparerTask): Promise<unknown> {
  idle.busy();
  try {
    return await runPreparer(task);
  } finally {
    // The module bytes it read (tens of MB for Ruby and Python) are garbage now.
    idle.idle(Number.POSITIVE_INFINITY);
  }
}

const PAGE = 65_536;
/** How long a finished run's thread waits for the main thread to take the result before it builds its next instance anyway. */
const RESULT_WAIT_MS = 100;
// WebAssembly memory32 cannot exceed 4 GiB.
const MAX_PAGES = 65_536;

/** This thread's pre-warmed instances (see `pool/prewarm-cache.ts`). */
const prewarmed = new PrewarmCache();

/** Runs one task; see `WorkerTask` / `WorkerOutcome`. */
export default async function runTask(task: WorkerTask): Promise<WorkerOutcome> {
  idle.busy();
  // Unknown when the task failed unexpectedly: collected as if it were large.
  let dropped = Number.POSITIVE_INFINITY;
  try {
    const ran = await runGuest(task);
    // The run's memory is garbage from here on (a pre-warmed successor is a new one).
    dropped = ran.outcome.memoryUsedBytes;
    return finishTask(task, ran);
  } finally {
    idle.idle(dropped);
  }
}

function finishTask(task: WorkerTask, { outcome: ran, shape }: { outcome: WorkerOutcome; shape: PrewarmShape | null }): WorkerOutcome {
  // The next instance is built once the main thread took the result, off the run's clock.
  if (shape !== null && task.prewarm !== false) prewarmed.schedule(shape, task.prewarm === "if-vacant", resultTaken(task.flags, RESULT_WAIT_MS));
  // Decoded here, not on the host's main thread (host-immunity rule): the main thread gets
  // strings to clone, and decodes the buffers itself only when it stopped the worker.
  const outcome: WorkerOutcome = { ...ran, output: { stdout: readSharedOutput(task.stdout), stderr: readSharedOutput(task.stderr) } };
  // Moving the journal's buffers to the main thread instead of structured-cloning them
  // means a guest that wrote N bytes makes the host hold ~N, not N here plus N there.
  // (A saved snapshot's pages are a SharedArrayBuffer: shared, never copied.)
  return moveResult(outcome, journalTransferables(outcome.journal));
}

/**
 * The buffers of the journal's written data that can move without shipping anything
 * else: exactly covered by their view, not shared memory, each listed once. Others
 * (e.g. a subarray of a loaded buffer) are cloned as before.
 */
export function journalTransferables(journal: Journal): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const entry of journal.entries) {
    if (entry.op !== "write") continue;
    const { buffer, byteOffset, byteLength } = entry.data;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength && byteLength > 0) seen.add(buffer);
  }
  return [...seen];
}

async function runGuest(task: WorkerTask): Promise<{ outcome: WorkerOutcome; shape: PrewarmShape | null }> {
  const flags = new Int32Array(task.flags);
  const fuelSpent = new BigInt64Array(task.flags);
  const stdout = new SharedOutputWriter(task.stdout);
  const stderr = new SharedOutputWriter(task.stderr);
  const { limits, image } = task;

  const initialPages = image?.memory.initialPages ?? 1;
  const maxPages = capPages(limits.memoryBytes, image?.memory.maximumPages ?? null);
  if (image !== null && initialPages > maxPages) {
    const need = initialPages * PAGE;
    return failedRun({
      reason: "memory_limit",
      message: `${image.name} needs ${need.toLocaleString("en-US")} bytes of memory at start but memoryBytes is ${limits.memoryBytes.toLocaleString("en-US")}`,
    });
  }
  let driver: LoadedDriver | null = null;
  let driverError: unknown = null;
  try {
    driver = await loadDriver(task.driver);
  } catch (error) {
    driverError = error;
  }
  const shape = driver === null || task.snapshotRun ? null : prewarmShape(task, driver, maxPages);
  const key = shape === null ? null : prewarmKey(shape);
  // Any matching instance is taken, whether or not this run asks for the next one: it is
  // indistinguishable from the one the run would build, and never used twice.
  const ready: ReadyInstance | null = key === null ? null : await prewarmed.take(task.driver, key, limits.fuelBudget);
  if (ready !== null) Atomics.store(flags, PREWARMED, 1);
  let memory: WebAssembly.Memory;
  try {
    memory = ready?.memory ?? new WebAssembly.Memory({ initial: initialPages, maximum: maxPages });
  } catch (error) {
    // The engine could not reserve the memory (address space exhausted by other runs).
    return failedRun(classifyTrap({ error, fuelRemaining: null, memoryLimitHit: false }));
  }
  Atomics.store(flags, MEMORY_PAGES, initialPages);

  let memoryLimitHit = false;
  let tracker: ReturnType<typeof createInstanceTracker> | null = null;
  // Whenever the worker is in control (output, host requests, sleeps), it records the fuel
  // spent so far: a run the wall clock or the caller stops still reports at least what it
  // had consumed by its last write, request or sleep.
  const recordFuel = (): void => {
    if (tracker !== null) Atomics.store(fuelSpent, FUEL_SPENT, BigInt(tracker.fuelConsumed()));
  };
  // Output is where a guest that otherwise only computes shows up: record fuel there too.
  const out = { write: (bytes: Uint8Array) => void (recordFuel(), stdout.write(bytes)) };
  const err = { write: (bytes: Uint8Array) => void (recordFuel(), stderr.write(bytes)) };
  let env: ReturnType<typeof createWorkerEnv>;
  try {
    env = createWorkerEnv(task, memory, out, err, recordFuel, ready?.started?.clock ?? null);
  } catch (error) {
    return failedRun(classifyTrap({ error, fuelRemaining: null, memoryLimitHit: false }));
  }
  tracker = createInstanceTracker({
    module: task.module,
    image,
    memory,
    // A getter: the WASI imports are built only if a module without its own needs them (see createWorkerEnv).
    get wasiImports() {
      return env.wasiImports as WebAssembly.ModuleImports;
    },
    fuelBudget: limits.fuelBudget,
    onInstance: () => Atomics.store(flags, MEMORY_PAGES, memory.buffer.byteLength / PAGE),
    ready,
  });
  const books = tracker;
  let saved: MemoryImage | undefined;
  const ctx: GuestContext = {
    module: task.module,
    image,
    memory,
    get wasiImports() {
      return env.wasiImports;
    },
    clock: env.clock,
    limits,
    argv: task.argv,
    env: task.env,
    data: task.driverData,
    fs: env.fs,
    stdin: task.stdin ?? new Uint8Array(0),
    instantiate: (imports, other) => books.instantiate(imports, other),
    restore: (instance, snapshot, what = "the snapshot") => {
      if (books.isRestored(instance, snapshot.id)) return;
      restoreWithinCap(memory, instance, snapshot, limits.memoryBytes, what);
    },
    started: () => books.started(),
    writeStdout: (bytes) => out.write(bytes),
    writeStderr: (bytes) => err.write(bytes),
    noteMemoryLimitHit: () => {
      memoryLimitHit = true;
    },
    fuelRemaining: () => Number(books.fuelRemaining()),
    shareFuel: () => books.shareFuel(),
    snapshot: task.snapshot,
    saveSnapshot: (snapshot) => {
      if (!task.snapshotRun) throw new Error("saveSnapshot is only available in a snapshot run");
      saved = snapshot;
    },
    control: env.control,
  };

  let exitCode: number;
  let trap: TrapClassification | null = null;
  try {
    if (driver === null) throw driverError;
    markStarted(task.flags);
    exitCode = await driver(ctx);
  } catch (error) {
    if (ProcExit.isInstance(error)) exitCode = error.exitCode;
    else {
      trap = classifyTrap({ error, fuelRemaining: books.lastFuel(), memoryLimitHit: memoryLimitHit || books.growFailed() });
      exitCode = -1;
    }
  }
  stdout.end();
  stderr.end();
  trap ??= classifyEnd({ exitCode, fuelRemaining: books.fuelRemaining(), memoryLimitHit: memoryLimitHit || books.growFailed() });
  if (trap?.reason === "out_of_fuel") exitCode = -1;
  let journal: WorkerOutcome["journal"] = { entries: [] };
  let plan: WorkerOutcome["plan"] = null;
  let unjournaled: readonly string[] = [];
  try {
    ({ journal, unjournaled } = env.fs.workspaceChanges());
    // Planned here, not on the host's main thread: the cost grows with the session's
    // file count and the guest's changes (host-immunity rule).
    plan = planCommit(task.entries, journal);
  } catch (error) {
    // Keep exit code, fuel and memory; the caller must not commit a partial journal.
    journal = { entries: [] };
    plan = null;
    trap ??= classifyTrap({ error: new Error(`could not collect the workspace changes: ${messageOf(error)}`), fuelRemaining: null, memoryLimitHit: false });
  }
  const outcome: WorkerOutcome = {
    exitCode,
    trap,
    prewarmed: ready !== null,
    fuelConsumed: books.fuelConsumed(),
    memoryUsedBytes: memory.buffer.byteLength,
    journal,
    plan,
    unjournaled,
    facts: env.control.facts,
    ...(saved !== undefined ? { snapshot: saved } : {}),
  };
  return { outcome, shape };
}

function failedRun(trap: TrapClassification): { outcome: WorkerOutcome; shape: null } {
  return { outcome: { exitCode: -1, trap, prewarmed: false, fuelConsumed: 0, memoryUsedBytes: 0, journal: { entries: [] }, plan: null, facts: [] }, shape: null };
}

/** What a ready instance for runs like `task` is built from, or null when its driver has no plan for it. */
function prewarmShape(task: WorkerTask, driver: LoadedDriver, maxPages: number): PrewarmShape | null {
  if (driver.prewarm === undefined || task.module === null || task.image === null) return null;
  try {
    const plan = driver.prewarm(task.driverData, task.snapshot);
    if (plan === null) return null;
    const inputs = { limits: task.limits, argv: task.argv, env: task.env, data: task.driverData, snapshot: task.snapshot };
    return { driver: task.driver, module: task.module, image: task.image, maxPages, plan, inputs };
  } catch {
    // Bad driver data: the run itself reports it.
    return null;
  }
}

function capPages(memoryBytes: number, declaredMax: number | null): number {
  const byLimit = Math.floor(memoryBytes / PAGE);
  return Math.min(byLimit, declaredMax ?? MAX_PAGES, MAX_PAGES);
}

/** A driver module's default export: a GuestDriver, with `prewarm` when it was defined with one. */
type LoadedDriver = GuestDriver & Partial<Pick<DefinedDriver<unknown>, "prewarm">>;

const drivers = new Map<string, LoadedDriver>();

/** Imports a driver module once per thread; its default export is the GuestDriver. */
async function loadDriver(url: string): Promise<LoadedDriver> {
  const cached = drivers.get(url);
  if (cached !== undefined) return cached;
  const mod = (await importBuiltModule(url)) as { default?: unknown };
  if (typeof mod.default !== "function") {
    throw new TypeError(`driver ${url} has no default export function (a GuestDriver)`);
  }
  const driver = mod.default as LoadedDriver;
  drivers.set(url, driver);
  return driver;
}
