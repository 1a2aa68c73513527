/**
 * The world a driver's pre-warm start (`PrewarmPlan.start`) runs in: a GuestContext of no
 * run — an empty filesystem, the runs' env, argv, limits and clock mode — over the ready
 * instance's memory. It exists only for the start, which must do exactly what a run's own
 * start would. Whatever could make them differ is either carried over to the run that
 * takes the instance or, when it cannot be, makes the start not kept (`spoiled`):
 *
 * - Clocks are carried over (`StartClock`, `continueAfterStart`): with deterministic
 *   clocks the run's clock replays the start's monotonic reads, random draws and virtual
 *   sleeps, so it is where a cold run's clock is after its own start; with real clocks
 *   the run's monotonic clock continues from the start's last reading (a monotonic clock's
 *   origin is arbitrary), so a value the interpreter kept from its start (QuickJS's
 *   `performance` time origin) reads as in a cold run — not as old as the pre-warm.
 *   The realtime clock is read as it is: frozen when deterministic; otherwise a start
 *   reads the wall clock of the pre-warm (Lua seeds its string hashing with it).
 * - Not kept: output (a run's would go to its caller), files (a run's /app is the
 *   session's), host-function calls, real sleeps and a refused memory grow.
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

/** What a start did to its clock that the run's clock must carry over (see the module documentation). */
export interface StartClock {
  readonly deterministic: boolean;
  /** Deterministic: the reads and draws to replay, in order. */
  readonly replay: readonly ({ readonly op: "monotonic" } | { readonly op: "random"; readonly bytes: number } | { readonly op: "sleep"; readonly ns: bigint })[];
  /** Real clocks: the start's last monotonic reading, or null. */
  readonly lastMonotonicNs: bigint | null;
}

/** A start's context and what it did. */
export interface PrewarmWorld {
  readonly ctx: GuestContext;
  /** Why the start cannot stand for a run's (see the module documentation), or null. */
  spoiled(): string | null;
  /** What the start did to its clock. */
  clock(): StartClock;
}

/**
 * The clock of a run that takes a pre-started instance: `clock` brought to where a cold
 * run's clock would be after the same start (see the module documentation).
 */
export function continueAfterStart<C extends RunClock>(clock: C, start: StartClock): C {
  if (start.deterministic) {
    for (const step of start.replay) {
      if (step.op === "monotonic") clock.monotonicNs();
      else if (step.op === "random") clock.fillRandom(new Uint8Array(step.bytes));
      else clock.sleep(step.ns);
    }
    return clock;
  }
  if (start.lastMonotonicNs === null) return clock;
  const offset = clock.monotonicNs() - start.lastMonotonicNs;
  return { ...clock, monotonicNs: () => clock.monotonicNs() - offset };
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
  const record = { deterministic: inputs.limits.deterministic, replay: [] as StartClock["replay"][number][], lastMonotonicNs: null as bigint | null };
  const clock = watchedClock(createGuestClock({ deterministic: inputs.limits.deterministic, randomSeed: inputs.limits.randomSeed }), record, spoil);
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
  return { ctx, spoiled: () => spoiled, clock: () => record };
}

/** The start's clock: the run's kind of clock, recording what the run's clock must carry over. */
function watchedClock(clock: RunClock, record: { replay: StartClock["replay"][number][]; lastMonotonicNs: bigint | null }, spoil: (why: string) => void): RunClock {
  const { deterministic } = clock;
  return {
    deterministic,
    realtimeNs: () => clock.realtimeNs(),
    monotonicNs: () => {
      const ns = clock.monotonicNs();
      if (deterministic) record.replay.push({ op: "monotonic" });
      else record.lastMonotonicNs = ns;
      return ns;
    },
    fillRandom: (buf) => {
      if (deterministic) record.replay.push({ op: "random", bytes: buf.length });
      clock.fillRandom(buf);
    },
    sleep: (ns) => {
      // A real sleep would hold the thread; a virtual one is replayed.
      if (!deterministic) spoil("it slept");
      else record.replay.push({ op: "sleep", ns });
      clock.sleep(ns);
    },
    resolutionNs: () => clock.resolutionNs(),
  };
}
