import type { MeteredImage } from "../types.js";

/**
 * Instantiates the metered module for a driver and keeps the books on fuel: each new
 * instance starts with the budget that previous instances of the run left over, and
 * the fuel consumed is the sum over instances of (fuel given − fuel left).
 */
export interface InstanceTracker {
  instantiate(imports?: WebAssembly.Imports): WebAssembly.Instance;
  /** Budget minus everything consumed so far (negative once exhausted). */
  fuelRemaining(): bigint;
  /** Fuel global of the most recent instance, or null before the first instantiation. */
  lastFuel(): bigint | null;
  /** Fuel consumed so far, capped at the budget (the meter traps just past it). */
  fuelConsumed(): number;
  /** True when any instance's meter recorded a refused `memory.grow`. */
  growFailed(): boolean;
}

interface Tracked {
  readonly fuel: WebAssembly.Global;
  readonly growFailed: WebAssembly.Global | null;
  readonly given: bigint;
}

/** Options of `createInstanceTracker`. */
export interface InstanceTrackerOptions {
  readonly module: WebAssembly.Module;
  readonly image: Omit<MeteredImage, "module">;
  readonly memory: WebAssembly.Memory;
  readonly wasiImports: WebAssembly.ModuleImports;
  readonly fuelBudget: number;
  /** Called after each instantiation (the worker records memory size for timeouts). */
  readonly onInstance?: (instance: WebAssembly.Instance) => void;
}

/** Creates the tracker behind `GuestContext.instantiate`. */
export function createInstanceTracker(options: InstanceTrackerOptions): InstanceTracker {
  const { image, memory } = options;
  const budget = BigInt(Math.floor(options.fuelBudget));
  const tracked: Tracked[] = [];

  const consumed = (): bigint => tracked.reduce((sum, t) => sum + (t.given - (t.fuel.value as bigint)), 0n);

  return {
    instantiate(imports = {}) {
      const filled: WebAssembly.Imports = { ...imports };
      filled.wasi_snapshot_preview1 ??= options.wasiImports;
      filled[image.memory.module] = { ...filled[image.memory.module], [image.memory.name]: memory };
      const instance = new WebAssembly.Instance(options.module, filled);
      const fuel = instance.exports[image.fuelExport];
      if (!(fuel instanceof WebAssembly.Global)) {
        throw new TypeError(`module ${image.name} has no fuel global "${image.fuelExport}" — load it with loadModule() so it is metered`);
      }
      const given = budget - consumed();
      fuel.value = given;
      const grow = instance.exports[image.growFailedExport];
      tracked.push({ fuel, growFailed: grow instanceof WebAssembly.Global ? grow : null, given });
      options.onInstance?.(instance);
      return instance;
    },
    fuelRemaining: () => budget - consumed(),
    lastFuel: () => {
      const last = tracked[tracked.length - 1];
      return last === undefined ? null : (last.fuel.value as bigint);
    },
    fuelConsumed: () => {
      const used = consumed();
      return Number(used > budget ? budget : used < 0n ? 0n : used);
    },
    growFailed: () => tracked.some((t) => t.growFailed !== null && t.growFailed.value === 1),
  };
}
