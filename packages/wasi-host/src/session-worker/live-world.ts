/**
 * Worker side of a warm session: the world of a live interpreter — capped memory, the
 * virtual filesystem, WASI imports, clock, control channel, fuel books and the driver's
 * GuestContext — built once, by the session's first (cold) execution, and kept for the
 * ones that continue it. What belongs to one execution (its limits, driver data, output
 * buffers, channel to the main thread, facts, call budget, fuel) sits in a `RunScope`
 * the world's objects reach through, switched at the start of every execution; nothing
 * the guest holds (instance, memory, open files) is rebuilt.
 */
import type { MessagePort } from "node:worker_threads";
import { classifyTrap } from "../classify-trap.js";
import { createChannelClient, type ChannelClient } from "../channel/channel-client.js";
import { LazyReadError } from "../channel/lazy-read-error.js";
import { FUEL_SPENT, MEMORY_PAGES } from "../channel/protocol.js";
import { createControlChannel, type ControlChannel } from "../control/control-channel.js";
import { createInstanceTracker, type InstanceTracker } from "../pool/instance-tracker.js";
import { SharedOutputWriter } from "../pool/shared-output.js";
import { restoreWithinCap } from "../snapshot/memory-image.js";
import type { WorkerTask } from "../pool/task.js";
import type { ContinueTask } from "./protocol.js";
import type { TrapClassification } from "../classify-trap.js";
import type { GuestContext, GuestContinuation, RunLimits } from "../types.js";
import { VfsError } from "../vfs/errors.js";
import { createVirtualFs, type VirtualFs } from "../vfs/virtual-fs.js";
import { createGuestClock } from "../wasi/clock.js";
import { createWasiPreview1 } from "../wasi/preview1.js";

const PAGE = 65_536;
// WebAssembly memory32 cannot exceed 4 GiB.
const MAX_PAGES = 65_536;

/** What one execution brings to the world. */
export interface RunScope {
  readonly task: ContinueTask;
  readonly stdout: SharedOutputWriter;
  readonly stderr: SharedOutputWriter;
  readonly client: ChannelClient;
  readonly flags: Int32Array;
  readonly fuelSpent: BigInt64Array;
  memoryLimitHit: boolean;
  /** The continuation the driver kept in this execution, if any. */
  kept: GuestContinuation | null;
}

/** A live interpreter's world (see module doc). */
export interface LiveWorld {
  readonly ctx: GuestContext;
  readonly memory: WebAssembly.Memory;
  readonly fs: VirtualFs;
  readonly control: ControlChannel;
  readonly tracker: InstanceTracker;
  /** The execution in progress (or the last one). */
  scope: RunScope;
  /** Records the fuel spent so far in the scope's shared flags (read when the main thread stops the run). */
  recordFuel(): void;
}

/** The scope of an execution: its buffers and a channel client on the thread's channel (or the task's own port). */
export function createRunScope(task: ContinueTask, channel: MessagePort): RunScope {
  return {
    task,
    stdout: new SharedOutputWriter(task.stdout),
    stderr: new SharedOutputWriter(task.stderr),
    client: createChannelClient(task.port ?? channel, task.flags),
    flags: new Int32Array(task.flags),
    fuelSpent: new BigInt64Array(task.flags),
    memoryLimitHit: false,
    kept: null,
  };
}

/**
 * Builds the world for the session's first execution.
 * @returns The world, or the trap that prevented it (memory could not be reserved, a bad mount).
 */
export function createLiveWorld(task: WorkerTask, first: RunScope): LiveWorld | TrapClassification {
  const { image, limits } = task;
  const initialPages = image?.memory.initialPages ?? 1;
  const maxPages = Math.min(Math.floor(limits.memoryBytes / PAGE), image?.memory.maximumPages ?? MAX_PAGES, MAX_PAGES);
  if (image !== null && initialPages > maxPages) {
    return { reason: "memory_limit", message: `${image.name} needs ${initialPages * PAGE} bytes of memory at start but memoryBytes is ${limits.memoryBytes}` };
  }
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: initialPages, maximum: maxPages });
  } catch (error) {
    return classifyTrap({ error, fuelRemaining: null, memoryLimitHit: false });
  }
  // Filled in below; every closure reads the execution in progress through it.
  const world = { scope: first } as LiveWorld & { scope: RunScope };
  let tracker: InstanceTracker | null = null;
  const recordFuel = (): void => {
    if (tracker !== null) Atomics.store(world.scope.fuelSpent, FUEL_SPENT, BigInt(tracker.fuelConsumed()));
  };
  const out = { write: (bytes: Uint8Array) => void (recordFuel(), world.scope.stdout.write(bytes)) };
  const err = { write: (bytes: Uint8Array) => void (recordFuel(), world.scope.stderr.write(bytes)) };
  const clock = createGuestClock({ deterministic: limits.deterministic, randomSeed: limits.randomSeed, beforeSleep: recordFuel });
  let fs: VirtualFs;
  let wasiImports: Record<string, (...args: never[]) => unknown>;
  let control: ControlChannel;
  try {
    control = createControlChannel(
      (tool, args) => {
        recordFuel();
        return world.scope.client.call(tool, args);
      },
      {
        tools: task.toolManifest,
        ...(limits.maxToolCalls !== undefined ? { maxCalls: limits.maxToolCalls } : {}),
        ...(limits.maxToolArgsBytes !== undefined ? { maxArgsBytes: limits.maxToolArgsBytes } : {}),
      },
    );
    fs = createVirtualFs({
      workspace: { entries: task.entries, load: (path) => loadWorkspaceFile(world, recordFuel, path) },
      seedFiles: task.seedFiles,
      mounts: task.mounts,
      nowNs: () => clock.realtimeNs(),
      frozenTimes: limits.deterministic,
    });
    wasiImports = createWasiPreview1({ memory, fs, args: task.argv, env: task.env, clock, stdin: task.stdin ?? undefined, stdout: out, stderr: err }).imports;
  } catch (error) {
    return classifyTrap({ error, fuelRemaining: null, memoryLimitHit: false });
  }
  const flags = (): Int32Array => world.scope.flags;
  Atomics.store(flags(), MEMORY_PAGES, initialPages);
  const books = createInstanceTracker({
    module: task.module,
    image,
    memory,
    wasiImports: wasiImports as WebAssembly.ModuleImports,
    fuelBudget: limits.fuelBudget,
    onInstance: () => Atomics.store(flags(), MEMORY_PAGES, memory.buffer.byteLength / PAGE),
  });
  tracker = books;
  const ctx: GuestContext = {
    module: task.module,
    image,
    memory,
    wasiImports,
    clock,
    get limits(): RunLimits {
      return world.scope.task.limits;
    },
    argv: task.argv,
    env: task.env,
    get data(): unknown {
      return world.scope.task.driverData;
    },
    fs,
    stdin: task.stdin ?? new Uint8Array(0),
    instantiate: (imports, other) => books.instantiate(imports, other),
    restore: (instance, image, what = "the snapshot") => restoreWithinCap(memory, instance, image, world.scope.task.limits.memoryBytes, what),
    writeStdout: (bytes) => out.write(bytes),
    writeStderr: (bytes) => err.write(bytes),
    noteMemoryLimitHit: () => {
      world.scope.memoryLimitHit = true;
    },
    fuelRemaining: () => Number(books.fuelRemaining()),
    shareFuel: () => books.shareFuel(),
    snapshot: task.snapshot,
    saveSnapshot: () => {
      throw new Error("saveSnapshot is only available in a snapshot run");
    },
    control,
    live: {
      keep(next) {
        world.scope.kept = next;
      },
    },
  };
  Object.assign(world, { ctx, memory, fs, control, tracker: books, recordFuel });
  return world;
}

/** Switches the world to the next execution: its scope, a fresh fuel budget and call budget, its program. */
export function continueWorld(world: LiveWorld, scope: RunScope): void {
  world.scope = scope;
  world.tracker.restart(scope.task.limits.fuelBudget);
  world.control.restart();
  world.fs.rebaseWorkspace(scope.task.seedFiles);
  Atomics.store(scope.flags, MEMORY_PAGES, world.memory.buffer.byteLength / PAGE);
}

function loadWorkspaceFile(world: LiveWorld, recordFuel: () => void, path: string): Uint8Array {
  recordFuel();
  try {
    return world.scope.client.read(path);
  } catch (error) {
    // The guest sees ENOENT / EIO from the syscall that touched the file.
    if (error instanceof LazyReadError) throw new VfsError(error.errno === "ENOENT" ? "noent" : "io", error.message);
    throw error;
  }
}

/**
 * Why a live interpreter should not be kept although its run ended well: its filesystem's
 * caps count across executions (the world holds everything its guest made), so once half
 * of one is used, the session goes on cold — a fresh filesystem, counting from zero, where
 * cold runs would not have hit the cap either. Null when it can be kept.
 */
export function retireReason(fs: VirtualFs): string | null {
  const u = fs.usage();
  if (u.growthBytes > u.maxWorkspaceBytes / 2) return `the live interpreter's /app and /tmp grew by ${u.growthBytes} bytes, over half of what one interpreter may hold (${u.maxWorkspaceBytes})`;
  if (u.createdInodes > u.maxCreatedInodes / 2) return `the live interpreter created ${u.createdInodes} files and directories, over half of what one interpreter may hold (${u.maxCreatedInodes})`;
  if (u.metadataBytes > u.maxMetadataBytes / 2) return `the live interpreter's file names and bookkeeping reached ${u.metadataBytes} bytes, over half of what one interpreter may hold (${u.maxMetadataBytes})`;
  return null;
}
