import type { GuestContext, GuestDriver } from "./types.js";

/** A driver with a typed contract for its data (`RunSpec.driverData`). */
export interface DriverDefinition<Data> {
  /**
   * Checks data that crossed the thread boundary and returns it typed.
   * @throws TypeError naming the bad field (usually a plugin/driver version mismatch).
   */
  parse(data: unknown): Data;
  /** Runs the guest and returns its exit code (or throws ProcExit / a trap). */
  run(ctx: GuestContext, data: Data): Promise<number> | number;
}

/** A GuestDriver that checks its data on arrival; `parse` is the same check, for the sending side. */
export type DefinedDriver<Data> = GuestDriver & { readonly parse: (data: unknown) => Data };

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
  return Object.assign(driver, { parse: definition.parse });
}
