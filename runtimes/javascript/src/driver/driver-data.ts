/**
 * What the JavaScript plugin (main thread) tells its driver (worker) about one run; it
 * crosses the thread boundary by structured clone, so it holds only plain data, checked
 * at both ends by `parseJavaScriptDriverData`.
 */
export interface JavaScriptDriverData {
  /** Guest path of the user's program (a seed file). */
  readonly entry: string;
  /** Load `_state` before the program and save it after a successful run. */
  readonly autoPersistGlobals: boolean;
  /** QuickJS stack limit in bytes; derived from the worker's stack when absent. */
  readonly maxStackBytes?: number;
}

/**
 * Checks driver data.
 * @throws TypeError naming the bad field (a plugin/driver version mismatch).
 */
export function parseJavaScriptDriverData(data: unknown): JavaScriptDriverData {
  if (typeof data !== "object" || data === null) throw new TypeError("JavaScript driver: driverData must be an object");
  const d = data as Record<string, unknown>;
  if (typeof d.entry !== "string") throw new TypeError("JavaScript driver: driverData.entry must be a string");
  if (typeof d.autoPersistGlobals !== "boolean") throw new TypeError("JavaScript driver: driverData.autoPersistGlobals must be a boolean");
  if (d.maxStackBytes !== undefined && (typeof d.maxStackBytes !== "number" || !(d.maxStackBytes > 0))) {
    throw new TypeError("JavaScript driver: driverData.maxStackBytes must be a positive number");
  }
  return { entry: d.entry, autoPersistGlobals: d.autoPersistGlobals, ...(d.maxStackBytes !== undefined ? { maxStackBytes: d.maxStackBytes as number } : {}) };
}
