/**
 * The fuel meter's public surface: instrument a core module for fuel (per-basic-block
 * charges, loop/entry checks), memory-as-import, the memory.grow observer and debug
 * stripping. Most callers want `loadModule` (../load-module.ts), which adds the disk
 * cache and compiles once per process.
 */
export {
  instrumentModule,
  METER_VERSION,
  FUEL_EXPORT,
  GROW_FAILED_EXPORT,
  GLOBAL_EXPORT_PREFIX,
  INITIAL_FUEL,
  type InstrumentOptions,
  type InstrumentResult,
} from "./instrument-module.js";
export type { MeterStats } from "./instrument-function.js";
export { MeterError } from "./meter-error.js";
export { shouldStripCustomSection, type StripOptions } from "./strip.js";
