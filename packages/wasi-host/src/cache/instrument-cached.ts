/**
 * Instrumenting through the disk cache: the cache key of a module (content hash, meter
 * version, rewrite options) and `instrumentCached`, which returns a verified cache entry
 * or instruments and writes one. Runs wherever it is called — `loadModule` calls it in a
 * pool thread (prepare-image.ts).
 */
import { instrumentModule, type InstrumentOptions } from "../meter/instrument-module.js";
import { cacheKey } from "./cache-key.js";
import { resolveCacheDir } from "./cache-dir.js";
import { readCacheEntry, sha256, writeCacheEntry, type CacheEntryMeta } from "./module-cache.js";

export { cacheKey } from "./cache-key.js";

/** Where an instrumented module came from. */
export type InstrumentedSource = "disk-cache" | "instrumented";

/** Instrumented bytes plus their description, before compiling. */
export interface InstrumentedModule {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly meta: CacheEntryMeta;
  readonly source: InstrumentedSource;
}

/**
 * Returns the instrumented bytes for `bytes`, from the disk cache when a verified
 * entry exists, else by instrumenting and (best effort) writing the cache.
 */
export async function instrumentCached(
  bytes: Uint8Array,
  options: InstrumentOptions & { readonly name?: string; readonly cacheDir?: string | false; readonly sourceHash?: string; readonly transformId?: string | null } = {},
): Promise<InstrumentedModule> {
  const sourceHash = options.sourceHash ?? sha256(bytes);
  const key = cacheKey(sourceHash, options, options.transformId ?? null);
  const name = options.name ?? "module.wasm";
  const dir = options.cacheDir === false ? null : resolveCacheDir(options.cacheDir);
  if (dir) {
    const hit = await readCacheEntry(dir, name, key).catch(() => "absent" as const);
    if (typeof hit === "object") return { bytes: hit.bytes, meta: hit.meta, source: "disk-cache" };
  }
  const res = instrumentModule(bytes, options);
  const meta: CacheEntryMeta = {
    format: 1,
    key,
    sourceHash,
    sha256: sha256(res.bytes),
    size: res.bytes.length,
    memory: res.memory,
    fuelExport: res.fuelExport,
    growFailedExport: res.growFailedExport,
    mutableGlobalExports: res.mutableGlobalExports,
    strippedBytes: res.strippedBytes,
  };
  if (dir) {
    // The cache is an optimisation: a read-only or full disk must not fail the load.
    await writeCacheEntry(dir, name, meta, res.bytes).catch(() => undefined);
  }
  return { bytes: res.bytes, meta, source: "instrumented" };
}
