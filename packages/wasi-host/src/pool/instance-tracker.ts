import type { MeteredImage } from "../types.js";
import type { ReadyInstance } from "./prewarm-cache.js";

const PAGE = 65_536;

/**
 * Instantiates the metered module for a driver and keeps the books on fuel: each new
 * instance starts with the budget that previous instances of the run left over, and
 * the fuel consumed is the sum over instances of (fuel given − fuel left).
 */
export interface InstanceTracker {
  /**
   * Instantiates the run's module — or `other`, another metered module of the same run
   * (a component's further core modules) — with the run's memory, WASI and fuel books.
   */
  instantiate(imports?: WebAssembly.Imports, other?: Omit<MeteredImage, "hash">): WebAssembly.Instance;
  /** Budget minus everything consumed so far (negative once exhausted). */
  fuelRemaining(): bigint;
  /** Lowest fuel global of the run's instances, or null before the first instantiation. */
  lastFuel(): bigint | null;
  /** Fuel consumed so far, capped at the budget (the meter traps just past it). */
  fuelConsumed(): number;
  /** True when any instance's meter recorded a refused `memory.grow`. */
  growFailed(): boolean;
  /** Sets every instance's fuel to the run's remaining budget (see GuestContext.shareFuel). */
  shareFuel(): void;
  /**
   * Starts the next execution of live instances (warm sessions): the budget becomes
   * `fuelBudget`, every instance gets all of it, consumption counts from zero and the
   * refused-grow flags are cleared.
   */
  restart(fuelBudget: number): void;
  /** True when `instance` is the pre-warmed instance and was restored from the image with `imageId`. */
  isRestored(instance: WebAssembly.Instance, imageId: string | undefined): boolean;
  /** What the driver's pre-warm start returned for the run's pre-warmed instance (taken, or handed out by the next `instantiate`); else null. */
  started(): unknown;
}

interface Tracked {
  readonly fuel: WebAssembly.Global;
  readonly growFailed: WebAssembly.Global | null;
  /** Fuel handed to the instance so far (raised by shareFuel so consumption stays exact). */
  given: bigint;
}

/** Options of `createInstanceTracker`. */
export interface InstanceTrackerOptions {
  /** The run's module and image; null when the driver compiles its own (`other`). */
  readonly module: WebAssembly.Module | null;
  readonly image: Omit<MeteredImage, "module"> | null;
  readonly memory: WebAssembly.Memory;
  /** Read only when a module imports `wasi_snapshot_preview1` and its driver did not give it (may be a getter that builds them then). */
  readonly wasiImports: WebAssembly.ModuleImports;
  readonly fuelBudget: number;
  /** Called after each instantiation (the worker records memory size for timeouts). */
  readonly onInstance?: (instance: WebAssembly.Instance) => void;
  /**
   * A pre-warmed instance of the run's module over `memory`: the first `instantiate`
   * without `other` binds the imports it is given to it and returns it instead of a new one.
   */
  readonly ready?: ReadyInstance | null;
}

/** Creates the tracker behind `GuestContext.instantiate`. */
export function createInstanceTracker(options: InstanceTrackerOptions): InstanceTracker {
  const { memory } = options;
  let budget = BigInt(Math.floor(options.fuelBudget));
  const tracked: Tracked[] = [];
  let ready = options.ready ?? null;
  let took: ReadyInstance | null = null;

  const consumed = (): bigint => tracked.reduce((sum, t) => sum + (t.given - (t.fuel.value as bigint)), 0n);

  /** Hands out the pre-warmed instance once; the run's own imports become its imports. */
  const adopt = (instance: ReadyInstance, imports: WebAssembly.Imports): WebAssembly.Instance => {
    ready = null;
    instance.bind(imports);
    took = instance;
    return instance.instance;
  };

  return {
    instantiate(imports = {}, other) {
      const image = other ?? options.image;
      const module = other?.module ?? options.module;
      if (image === null || module === null) {
        throw new TypeError("this run has no image: pass the module the driver compiled (ctx.instantiate(imports, other))");
      }
      // A module the driver compiled itself may declare more initial memory than the run
      // started with: grow to it (within the cap; a refusal is a memory_limit trap).
      const missing = image.memory.initialPages - memory.buffer.byteLength / PAGE;
      if (missing > 0) memory.grow(missing);
      const filled: WebAssembly.Imports = { ...imports };
      filled.wasi_snapshot_preview1 ??= options.wasiImports;
      const instance = other === undefined && ready !== null ? adopt(ready, filled) : new WebAssembly.Instance(module, withMemory(filled, image, memory));
      const fuel = instance.exports[image.fuelExport];
      if (!(fuel instanceof WebAssembly.Global)) {
        throw new TypeError(`module ${image.name} has no fuel global "${image.fuelExport}" — load it with loadModule() so it is metered`);
      }
      const given = budget - consumed();
      // A pre-started instance already spent its driver's start: charged here, as if this
      // run had run it (the pool hands such an instance only to a budget that covers it).
      fuel.value = instance === took?.instance && took.started !== null ? given - took.started.fuel : given;
      const grow = instance.exports[image.growFailedExport];
      tracked.push({ fuel, growFailed: grow instanceof WebAssembly.Global ? grow : null, given });
      options.onInstance?.(instance);
      return instance;
    },
    fuelRemaining: () => budget - consumed(),
    // The lowest fuel of any instance: with several live instances (a component's core
    // modules call each other directly) the one that ran out need not be the newest.
    lastFuel: () => (tracked.length === 0 ? null : tracked.reduce((low, t) => ((t.fuel.value as bigint) < low ? (t.fuel.value as bigint) : low), tracked[0]!.fuel.value as bigint)),
    fuelConsumed: () => {
      const used = consumed();
      return Number(used > budget ? budget : used < 0n ? 0n : used);
    },
    growFailed: () => tracked.some((t) => t.growFailed !== null && t.growFailed.value === 1),
    restart: (fuelBudget) => {
      budget = BigInt(Math.floor(fuelBudget));
      for (const t of tracked) {
        t.fuel.value = budget;
        t.given = budget;
        if (t.growFailed !== null) t.growFailed.value = 0;
      }
    },
    isRestored: (instance, imageId) => took !== null && took.instance === instance && imageId !== undefined && took.restored === imageId,
    started: () => (ready ?? took)?.started?.value ?? null,
    shareFuel: () => {
      const remaining = budget - consumed();
      for (const t of tracked) {
        const used = t.given - (t.fuel.value as bigint);
        t.fuel.value = remaining;
        t.given = used + remaining;
      }
    },
  };
}

/**
 * `imports` with the run's memory added to its namespace. A pre-warmed instance has its
 * memory already and is not given it: copying the namespace (an emscripten `env` holds
 * ~250 functions) cost more than the rest of a pre-warmed run's start.
 */
function withMemory(imports: WebAssembly.Imports, image: Pick<MeteredImage, "memory">, memory: WebAssembly.Memory): WebAssembly.Imports {
  return { ...imports, [image.memory.module]: { ...imports[image.memory.module], [image.memory.name]: memory } };
}
