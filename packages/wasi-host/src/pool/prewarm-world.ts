/**
 * The world a driver's pre-warm start (`PrewarmPlan.start`) runs in: a GuestContext of no
 * run — an empty filesystem, the runs' env, argv, limits and clock mode — over the ready
 * instance's memory. It exists only for the start, which must do exactly what a run's own
 * start would; whatever could make them differ is watched, and a start that did any of it
 * is not kept (`PrewarmWorld.spoiled`):
 *
 * - output (a run's would go to its caller), files (a run's /app is the session's),
 *   host-function calls, random bytes, sleeps and monotonic clock reads (the next read of
 *   a run's own clock would see them: deterministic clocks tick per read), and a refused
 *   memory grow. Reading the realtime clock is fine: it is frozen in deterministic mode
 *   and, otherwise, any value a start can see is one a run could have seen.
 */
import { createControlChannel } from "../control/control-channel.js";
import type { MemoryImage } from "../snapshot/memory-image.js";
import type { GuestContext, MeteredImage, RunLimits } from "../types.js";
import { createVirtualFs } from "../vfs/virtual-fs.js";
import { createGuestClock, type RunClock } from "../wasi/clock.js";
import { createWasiPreview1 } from "../wasi/preview1.js";

/** What of a run shapes its driver's start besides the module, the memory cap and the driver's key. */
export interface StartInputs {
  readonly limits: RunLimits;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly data: unknown;
  readonly snapshot: MemoryImage | null;
}

/** The part of a start key that comes from `StartInputs` (the driver's own key covers its data). */
export function startInputsKey(inputs: StartInputs): string {
  const { limits, argv, env } = inputs;
  return JSON.stringify([limits.memoryBytes, limits.deterministic, limits.deterministic ? limits.randomSeed : null, argv, Object.entries(env)]);
}

/** A start's context and what it did. */
export interface PrewarmWorld {
  readonly ctx: GuestContext;
  /** Why the start cannot stand for a run's (see the module documentation), or null. */
  spoiled(): string | null;
}

/**
 * Builds the world of one start. `instantiate` is the ready instance's: it binds the
 * instance's function imports to what the start passes and returns the instance.
 */
export function createPrewarmWorld(
  inputs: StartInputs,
  image: Omit<MeteredImage, "module">,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  instantiate: (imports: WebAssembly.Imports) => WebAssembly.Instance,
): PrewarmWorld {
  let spoiled: string | null = null;
  const spoil = (why: string): void => {
    spoiled ??= why;
  };
  const clock = watchedClock(createGuestClock({ deterministic: inputs.limits.deterministic, randomSeed: inputs.limits.randomSeed }), spoil);
  const fs = createVirtualFs({
    workspace: {
      entries: [],
      load: () => {
        spoil("it read a file");
        throw new Error("no files before a run");
      },
    },
    nowNs: () => clock.realtimeNs(),
  });
  const output = { write: (bytes: Uint8Array) => (bytes.length > 0 ? spoil("it wrote output") : undefined) };
  const wasi = createWasiPreview1({ memory, fs, args: inputs.argv, env: inputs.env, clock, stdout: output, stderr: output });
  const control = createControlChannel(() => {
    spoil("it called the host");
    throw new Error("no host calls before a run");
  });
  const ctx: GuestContext = {
    module,
    image,
    memory,
    wasiImports: wasi.imports,
    clock,
    limits: inputs.limits,
    argv: inputs.argv,
    env: inputs.env,
    data: inputs.data,
    fs,
    stdin: new Uint8Array(0),
    instantiate: (imports = {}, other) => {
      if (other !== undefined) throw new TypeError("a pre-warm start instantiates only the run's own module");
      const filled: WebAssembly.Imports = { ...imports };
      filled.wasi_snapshot_preview1 ??= wasi.imports as WebAssembly.ModuleImports;
      return instantiate(filled);
    },
    restore: () => {
      throw new TypeError("a pre-warm start does not restore: the plan's `restore` image is restored before it");
    },
    writeStdout: (bytes) => output.write(bytes),
    writeStderr: (bytes) => output.write(bytes),
    noteMemoryLimitHit: () => spoil("it hit the memory cap"),
    fuelRemaining: () => Number.MAX_SAFE_INTEGER,
    shareFuel: () => undefined,
    snapshot: inputs.snapshot,
    saveSnapshot: () => {
      throw new Error("saveSnapshot is only available in a snapshot run");
    },
    control,
  };
  return { ctx, spoiled: () => spoiled };
}

/** The start's clock: the run's kind of clock, reporting every read a run's own clock would remember. */
function watchedClock(clock: RunClock, spoil: (why: string) => void): RunClock {
  return {
    deterministic: clock.deterministic,
    realtimeNs: () => clock.realtimeNs(),
    monotonicNs: () => {
      spoil("it read the monotonic clock");
      return clock.monotonicNs();
    },
    fillRandom: (buf) => {
      spoil("it took random bytes");
      clock.fillRandom(buf);
    },
    sleep: (ns) => {
      spoil("it slept");
      clock.sleep(ns);
    },
    resolutionNs: () => clock.resolutionNs(),
  };
}
