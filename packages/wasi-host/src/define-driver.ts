import type { MemoryImage } from "./snapshot/memory-image.js";
import type { GuestContext, GuestDriver } from "./types.js";

/**
 * How a driver's runs can start from a pre-warmed instance (see `DriverDefinition.prewarm`):
 * the worker keeps an instance of the run's module ready — instantiated with the run's
 * memory cap and, when `restore` is given, restored from it — and hands it to the next
 * run whose plan has the same key when that run's driver calls `ctx.instantiate`.
 */
export interface PrewarmPlan {
  /**
   * Everything in the run's data that shapes the instance before the driver runs (besides
   * the module, the memory cap and the restored image's id, which the worker adds).
   */
  readonly key: string;
  /** The image to restore into the instance (the driver then calls `ctx.restore` with it), or null. */
  readonly restore: MemoryImage | null;
  /**
   * The module's imports that are not functions nor the memory (e.g. globals), fresh for
   * each instance. Function imports need nothing: they are bound to the taking run's own.
   */
  readonly staticImports?: (module: WebAssembly.Module) => WebAssembly.Imports;
  /**
   * The driver's own start, run on the ready instance right after it is built: the part
   * of every run that does not depend on what the run runs (create the interpreter's
   * state, open its libraries, load its bootstrap). `ctx` is a context of the pre-warm,
   * not of a run: an empty filesystem, the run's env, argv, limits and clock mode; its
   * `instantiate(imports)` hands out the ready instance with its function imports bound
   * to `imports` for the duration of the start. Return what the run needs to go on (the
   * interpreter's state pointer…), or a promise of it; a run that takes the instance gets it from
   * `ctx.started()`, and its own `ctx.instantiate(imports)` binds the instance's imports
   * to `imports` (the start's own may be passed again when they forward to the run).
   *
   * The start's fuel is measured and charged to the run that takes the instance (a run
   * whose budget is smaller builds its instance cold, and runs out of fuel exactly as
   * such a run does). A start that writes output, reads a file, takes random bytes,
   * sleeps, reads the monotonic clock or hits the memory cap is not kept: all of that
   * would differ from a run's own start. Throwing means "not kept" too.
   */
  readonly start?: (ctx: GuestContext) => unknown;
}

/** A driver with a typed contract for its data (`RunSpec.driverData`). */
export interface DriverDefinition<Data> {
  /**
   * Checks data that crossed the thread boundary and returns it typed.
   * @throws TypeError naming the bad field (usually a plugin/driver version mismatch).
   */
  parse(data: unknown): Data;
  /** Runs the guest and returns its exit code (or throws ProcExit / a trap). */
  run(ctx: GuestContext, data: Data): Promise<number> | number;
  /**
   * Opts in to pre-warmed instances: the plan for runs with `data` (and the runner's
   * `snapshot`), or null for runs that must build their instance themselves. Such a run
   * gets its instance from its first `ctx.instantiate(imports)` (without `other`) and
   * restores with `ctx.restore`, exactly as a cold run, so nothing else changes.
   */
  prewarm?(data: Data, snapshot: MemoryImage | null): PrewarmPlan | null;
}

/** A GuestDriver that checks its data on arrival; `parse` is the same check, for the sending side. */
export type DefinedDriver<Data> = GuestDriver & {
  readonly parse: (data: unknown) => Data;
  /** The definition's `prewarm`, over unchecked data (absent when the driver has none). */
  readonly prewarm?: (data: unknown, snapshot: MemoryImage | null) => PrewarmPlan | null;
};

/**
 * Defines a worker-side driver whose data is checked at both ends: the plugin calls
 * `parse` (imported from a small shared module, not from the driver) on what it sends,
 * and the driver checks it again on arrival.
 *
 * ```ts
 * // driver.ts (built to dist/driver.js, default export)
 * export default defineDriver({ parse: parseLuaData, run: (ctx, data) => runLua(ctx, data) });
 * ```
 */
export function defineDriver<Data>(definition: DriverDefinition<Data>): DefinedDriver<Data> {
  const driver: GuestDriver = (ctx) => definition.run(ctx, definition.parse(ctx.data));
  const { prewarm } = definition;
  return Object.assign(driver, {
    parse: definition.parse,
    ...(prewarm ? { prewarm: (data: unknown, snapshot: MemoryImage | null) => prewarm.call(definition, definition.parse(data), snapshot) } : {}),
  });
}
