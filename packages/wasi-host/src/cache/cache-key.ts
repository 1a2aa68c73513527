/**
 * The disk-cache key of an instrumented module, in a module of its own: the main thread
 * computes it (load-module.ts) and must not load the meter for that (see `host.ts`).
 */
import type { InstrumentOptions } from "../meter/instrument-module.js";
import { METER_VERSION } from "../meter/meter-version.js";
import { sha256 } from "./module-cache.js";

/**
 * The cache key of a module: its content hash, the meter version, every option that
 * changes the rewrite and the id of the plugin's own transform applied before it.
 */
export function cacheKey(sourceHash: string, options: InstrumentOptions = {}, transformId: string | null = null): string {
  const opts = {
    exportMutableGlobals: options.exportMutableGlobals === true,
    keepNameSection: options.keepNameSection !== false,
    ...(transformId === null ? {} : { transform: transformId }),
  };
  return sha256(`${sourceHash}\0meter-v${METER_VERSION}\0${JSON.stringify(opts)}`);
}
