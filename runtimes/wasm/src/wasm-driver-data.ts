import type { PrepareInput } from "./prepare-input.js";

/**
 * Checks the wasm driver's data (`PrepareInput`) at both ends of the thread boundary.
 * @throws TypeError naming the bad field (a plugin/driver version mismatch).
 */
export function parseWasmDriverData(data: unknown): PrepareInput {
  if (typeof data !== "object" || data === null) throw new TypeError("wasm driver: driverData must be an object");
  const d = data as Record<string, unknown>;
  if (typeof d.code !== "string") throw new TypeError("wasm driver: driverData.code must be a string");
  if (typeof d.memoryBytes !== "number") throw new TypeError("wasm driver: driverData.memoryBytes must be a number");
  if (typeof d.limits !== "object" || d.limits === null) throw new TypeError("wasm driver: driverData.limits must be an object");
  if (!Array.isArray(d.wasiFunctions) || !d.wasiFunctions.every((f) => typeof f === "string")) throw new TypeError("wasm driver: driverData.wasiFunctions must be strings");
  return d as unknown as PrepareInput;
}
