/**
 * Worker side: the world of one run — the virtual filesystem with /app backed by the
 * channel's lazy reads, the control channel over its host calls, the run's clock, and
 * the WASI preview1 imports writing to the shared output buffers.
 */
import { createChannelClient, createChannellessClient } from "../channel/channel-client.js";
import { LazyReadError } from "../channel/lazy-read-error.js";
import { createControlChannel, type ControlChannel } from "../control/control-channel.js";
import type { GuestClock } from "../types.js";
import { VfsError } from "../vfs/errors.js";
import { createVirtualFs, type VirtualFs } from "../vfs/virtual-fs.js";
import { createGuestClock } from "../wasi/clock.js";
import { continueAfterStart, type StartClock } from "./prewarm-world.js";
import { createWasiPreview1 } from "../wasi/preview1.js";
import type { ByteSink } from "../wasi/output-sink.js";
import type { WorkerTask } from "./task.js";

/** What `createWorkerEnv` builds for a run. */
export interface WorkerEnv {
  readonly fs: VirtualFs;
  readonly control: ControlChannel;
  readonly clock: GuestClock;
  /** The WASI preview1 imports over this world (built on first access). */
  readonly wasiImports: Record<string, (...args: never[]) => unknown>;
}

/** Builds the filesystem, clock and WASI imports of one task. */
export function createWorkerEnv(
  task: WorkerTask,
  memory: WebAssembly.Memory,
  stdout: ByteSink,
  stderr: ByteSink,
  /** Called before each blocking request to the main thread and each sleep (the worker records fuel spent). */
  beforeBlocking: () => void = () => {},
  /** What the driver's pre-warm start did to its clock, when the run's instance was pre-started. */
  startClock: StartClock | null = null,
): WorkerEnv {
  const fresh = createGuestClock({ deterministic: task.limits.deterministic, randomSeed: task.limits.randomSeed, beforeSleep: beforeBlocking });
  const clock = startClock === null ? fresh : continueAfterStart(fresh, startClock);
  // No port: the run has nothing to read lazily and no host functions (see dispatchRun).
  const client = task.port === null ? createChannellessClient() : createChannelClient(task.port, task.flags);
  const read = (path: string): Uint8Array => {
    beforeBlocking();
    return client.read(path);
  };
  const control = createControlChannel(
    (tool, args) => {
      beforeBlocking();
      return client.call(tool, args);
    },
    {
      tools: task.toolManifest,
      ...(task.limits.maxToolCalls !== undefined ? { maxCalls: task.limits.maxToolCalls } : {}),
      ...(task.limits.maxToolArgsBytes !== undefined ? { maxArgsBytes: task.limits.maxToolArgsBytes } : {}),
    },
  );
  const fs = createVirtualFs({
    workspace: {
      entries: task.entries,
      load: (path) => {
        try {
          return read(path);
        } catch (error) {
          // The guest sees ENOENT / EIO from the syscall that touched the file.
          if (error instanceof LazyReadError) throw new VfsError(error.errno === "ENOENT" ? "noent" : "io", error.message);
          throw error;
        }
      },
    },
    seedFiles: task.seedFiles,
    mounts: task.mounts,
    nowNs: () => clock.realtimeNs(),
    frozenTimes: task.limits.deterministic,
  });
  // Built when first asked for: emscripten runtimes (Python, Lua, JavaScript) bring their
  // own `wasi_snapshot_preview1` and never use these (building them cost 0.07–0.14 ms a run).
  let wasiImports: WorkerEnv["wasiImports"] | null = null;
  return {
    fs,
    control,
    clock,
    get wasiImports() {
      wasiImports ??= createWasiPreview1({ memory, fs, args: task.argv, env: task.env, clock, stdin: task.stdin ?? undefined, stdout, stderr }).imports;
      return wasiImports;
    },
  };
}
